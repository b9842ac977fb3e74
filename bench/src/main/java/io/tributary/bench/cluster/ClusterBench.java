package io.tributary.bench.cluster;

import io.tributary.bench.cluster.ClusterView.PartitionView;
import io.tributary.bench.front.BenchArgs;
import io.tributary.bench.front.HttpProduceLoad;
import io.tributary.bench.front.LatencyProbe;
import io.tributary.bench.front.LatencyRecorder;
import io.tributary.bench.front.Meter;
import io.tributary.bench.front.Payloads;
import io.tributary.bench.front.WebSocketLoad;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tributary.bench.front.FrontBench.fmt;
import static io.tributary.bench.front.FrontBench.info;
import static io.tributary.bench.front.FrontBench.result;

/**
 * The load generator of {@code bench/cluster-bench.sh}: one case per run against running brokers
 * ({@code --brokers=1=http://127.0.0.1:p1,2=...}), each printing {@code RESULT <name> <value>} lines.
 * Requests go to the leader of the partitions they write, as a Kafka client sends each batch to
 * its partition's leader: every record names its partition.
 *
 * <pre>
 * produce  --brokers= --topic= --acks= --connections= --warmup= --duration=
 *          batch POSTs of 1000 x 100 B records, {@code connections} per partition, each to its leader
 * e2e      --brokers= --topic= --acks= --rate= --tick-ms= --warmup= --duration=
 *          every tick one request per leader broker (the records of its partitions, {@code rate} in all);
 *          one WebSocket consumer per partition at its leader; latency from send to delivery
 * await    --brokers= --topic= --timeout-seconds=
 *          waits until every partition is led by its preferred replica with every replica in sync
 * failover --brokers= --pids=1=pid,... --topic= --partition= --warmup= --workers= --retry-ms= --timeout-ms= --max-seconds=
 *          SIGKILLs the partition's leader under steady acks=all producers on another broker, and
 *          reports the time from the kill to the first acknowledged request sent after it
 * </pre>
 */
public final class ClusterBench {

    private static final int VALUE_BYTES = 100;
    private static final int RECORDS_PER_REQUEST = 1000;

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ClusterBench <produce|e2e|failover> --name=value...");
            System.exit(2);
        }
        BenchArgs a = new BenchArgs(args, 1);
        ClusterView view = new ClusterView(ClusterView.parseIds(a.required("brokers")));
        String topic = a.required("topic");
        String name = a.string("name", args[0]);
        try {
            switch (args[0]) {
                case "produce" -> produce(a, view, topic, name);
                case "e2e" -> endToEnd(a, view, topic, name);
                case "failover" -> failover(a, view, topic, name);
                case "await" -> awaitSettled(a, view, topic);
                default -> throw new IllegalArgumentException("Unknown case " + args[0]);
            }
        } catch (Exception e) {
            result(name, "failed (" + e + ")");
            e.printStackTrace();
        }
        Schedulers.shutdownNow();
        System.exit(0);
    }

    private static int anyBroker(ClusterView view) {
        return view.urls().keySet().iterator().next();
    }

    private static void produce(BenchArgs a, ClusterView view, String topic, String name) throws Exception {
        String path = "/api/v1/topics/" + topic + "/records?acks=" + a.string("acks", "1");
        int connections = a.integer("connections", 2);
        Meter meter = new Meter();
        List<HttpProduceLoad> loads = new ArrayList<>();
        List<Mono<Void>> runs = new ArrayList<>();
        try {
            for (PartitionView p : view.partitions(anyBroker(view), topic, Duration.ofSeconds(10))) {
                HttpProduceLoad load = new HttpProduceLoad(view.url(p.leader()), connections);
                loads.add(load);
                runs.add(load.batches(path, Payloads.batch(RECORDS_PER_REQUEST, VALUE_BYTES, p.partition()),
                        RECORDS_PER_REQUEST, meter));
            }
            info(name + ": " + runs.size() + " partitions x " + connections + " connections, each to its leader");
            var done = Mono.when(runs).subscribeOn(Schedulers.single()).toFuture();
            double rate = meter.measure(a.integer("warmup", 5), a.integer("duration", 15));
            done.get(60, TimeUnit.SECONDS);
            io.tributary.bench.front.FrontBench.report(name, rate, meter);
        } finally {
            loads.forEach(HttpProduceLoad::close);
        }
    }

    private static void endToEnd(BenchArgs a, ClusterView view, String topic, String name) throws Exception {
        int rate = a.integer("rate", 10_000);
        int tickMs = a.integer("tick-ms", 10);
        int duration = a.integer("duration", 20);
        String acks = a.string("acks", "all");
        List<PartitionView> partitions = view.partitions(anyBroker(view), topic, Duration.ofSeconds(10));
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(a.integer("warmup", 3));
        long endNanos = measureFrom + TimeUnit.SECONDS.toNanos(duration);

        // one consumer per partition, at its leader (WebSocket streams are served by the leader)
        Sinks.Empty<Void> stop = Sinks.empty();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<CompletableFuture<Void>> consumers = new ArrayList<>();
        List<Mono<Void>> connected = new ArrayList<>();
        Map<Integer, List<Integer>> byLeader = new TreeMap<>();
        for (PartitionView p : partitions) {
            LatencyRecorder recorder = new LatencyRecorder(measureFrom, 2 * rate * (duration + 5) / partitions.size());
            Sinks.Empty<Void> open = Sinks.empty();
            recorders.add(recorder);
            connected.add(open.asMono());
            consumers.add(new WebSocketLoad(view.url(p.leader()))
                    .consumeTimed(topic, p.partition(), recorder, stop.asMono(), open).toFuture());
            byLeader.computeIfAbsent(p.leader(), id -> new ArrayList<>()).add(p.partition());
        }
        Mono.when(connected).block(Duration.ofSeconds(30));

        // one probe per leader broker, each tick the records of its partitions; the shares add up to rate
        int perTickTotal = rate * tickMs / 1000;
        List<LatencyProbe> probes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int assigned = 0;
        int partitionsSoFar = 0;
        for (Map.Entry<Integer, List<Integer>> e : byLeader.entrySet()) {
            partitionsSoFar += e.getValue().size();
            int share = perTickTotal * partitionsSoFar / partitions.size() - assigned;
            assigned += share;
            int[] ids = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            LatencyProbe probe = new LatencyProbe(view.url(e.getKey()), topic, acks, share, VALUE_BYTES, ids);
            probes.add(probe);
            Thread t = new Thread(() -> probe.run(endNanos, tickMs), "e2e-probe-" + e.getKey());
            threads.add(t);
            info(name + ": broker " + e.getKey() + " gets " + share + " records every " + tickMs + " ms for partitions "
                    + Arrays.toString(ids));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double sendSeconds = (System.nanoTime() - startNanos) / 1e9;
        TimeUnit.SECONDS.sleep(2);   // the last records' delivery
        long acknowledged = probes.stream().mapToLong(p -> p.sent.get()).sum();
        long failed = probes.stream().mapToLong(p -> p.failed.get()).sum();
        String firstFailure = probes.stream().map(p -> p.firstFailure).filter(f -> f != null).findFirst().orElse("none");
        stop.tryEmitEmpty();
        for (CompletableFuture<Void> c : consumers) {
            c.get(30, TimeUnit.SECONDS);
        }
        probes.forEach(LatencyProbe::close);
        long[] sorted = recorders.stream().flatMapToLong(r -> Arrays.stream(r.sorted())).sorted().toArray();
        LatencyRecorder any = recorders.get(0);
        info(name + ": " + acknowledged + " records acknowledged, " + failed + " requests failed (first: " + firstFailure
                + "), " + sorted.length + " deliveries measured, max "
                + fmt(sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6) + " ms, "
                + fmt(byLeader.size() * 1000.0 / tickMs) + " requests/s");
        result(name + ".rate", fmt(acknowledged / sendSeconds));
        result(name + ".p50", fmt(any.percentileMs(sorted, 0.50)));
        result(name + ".p99", fmt(any.percentileMs(sorted, 0.99)));
        result(name + ".p999", fmt(any.percentileMs(sorted, 0.999)));
        result(name + ".max", fmt(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6));
    }

    private static void awaitSettled(BenchArgs a, ClusterView view, String topic) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(a.integer("timeout-seconds", 120));
        String last = "nothing read yet";
        while (System.nanoTime() < deadline) {
            try {
                List<PartitionView> partitions = view.partitions(anyBroker(view), topic, Duration.ofSeconds(5));
                last = partitions.toString();
                if (partitions.stream().allMatch(p -> !p.replicas().isEmpty() && p.leader() == p.replicas().get(0)
                        && p.isr().containsAll(p.replicas()))) {
                    info(topic + " settled in " + (System.nanoTime() - start) / 1_000_000 + " ms: " + last);
                    return;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        info(topic + " did not settle: " + last);
    }

    private static void failover(BenchArgs a, ClusterView view, String topic, String name) throws Exception {
        int partition = a.integer("partition", 0);
        Map<Integer, String> pids = ClusterView.parseIds(a.required("pids"));
        PartitionView before = view.partitions(anyBroker(view), topic, Duration.ofSeconds(10)).get(partition);
        int leader = before.leader();
        int controller = view.controller(leader);
        int survivor = view.urls().keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
        ProcessHandle victim = ProcessHandle.of(Long.parseLong(pids.get(leader))).orElseThrow(() ->
                new IllegalStateException("Broker " + leader + " (pid " + pids.get(leader) + ") is not running"));
        String path = "/api/v1/topics/" + topic + "/records?acks=all";
        long maxNanos = TimeUnit.SECONDS.toNanos(a.integer("max-seconds", 90));
        try (FailoverProbe probe = new FailoverProbe(view.url(survivor), path,
                Payloads.batch(a.integer("records", 10), VALUE_BYTES, partition),
                a.integer("workers", 4), a.integer("retry-ms", 10), a.integer("timeout-ms", 1000))) {
            probe.start();
            // the warm-up counts from the first acknowledgement: a cold cluster on a busy machine is slow to give it
            long firstDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (probe.acknowledgedBefore(System.nanoTime()) == 0 && System.nanoTime() < firstDeadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            TimeUnit.SECONDS.sleep(a.integer("warmup", 3));
            int leaderNow = view.partitions(survivor, topic, Duration.ofSeconds(5)).get(partition).leader();
            long killNanos = System.nanoTime();
            if (probe.acknowledgedBefore(killNanos) == 0) {
                throw new IllegalStateException("No acks=all produce succeeded within 60 s before the kill");
            }
            if (leaderNow != leader) {
                throw new IllegalStateException("The leader moved from " + leader + " to " + leaderNow + " during the warm-up");
            }
            long killEpochMs = System.currentTimeMillis();
            victim.destroyForcibly();   // SIGKILL
            long metadataNanos = -1;
            PartitionView after = before;
            long ackNanos = -1;
            while (System.nanoTime() - killNanos < maxNanos && (ackNanos < 0 || metadataNanos < 0)) {
                if (metadataNanos < 0) {
                    try {
                        PartitionView seen = view.partitions(survivor, topic, Duration.ofMillis(500)).get(partition);
                        if (seen.leader() >= 0 && seen.leader() != leader) {
                            metadataNanos = System.nanoTime();
                            after = seen;
                        }
                    } catch (RuntimeException e) {
                        // the survivor may be slow to answer while the cluster changes; ask again
                    }
                }
                ackNanos = probe.firstAckOfRequestSentAfter(killNanos);
                TimeUnit.MILLISECONDS.sleep(10);
            }
            info(name + ": killed broker " + leader + " (pid " + victim.pid() + (leader == controller ? ", the controller" : "")
                    + ") leading " + topic + "-" + partition + " in epoch " + before.leaderEpoch() + " at epoch ms "
                    + killEpochMs + "; producing through broker " + survivor + "; new leader " + after.leader()
                    + " in epoch " + after.leaderEpoch() + " ISR " + after.isr());
            long end = ackNanos < 0 ? System.nanoTime() : ackNanos;
            info(name + ": requests sent after the kill until the first ack, by outcome: " + probe.summary(killNanos, end));
            result("killed", Integer.toString(leader));
            result(name + ".killed.controller", Boolean.toString(leader == controller));
            result(name + ".metadata.ms", metadataNanos < 0 ? "none" : fmt((metadataNanos - killNanos) / 1e6));
            result(name + ".ms", ackNanos < 0 ? "failed (no ack within " + a.integer("max-seconds", 90) + " s)"
                    : fmt((ackNanos - killNanos) / 1e6));
        }
    }
}
