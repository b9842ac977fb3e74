package io.tributary.replication;

import io.tributary.replication.BrokerProcesses.PartitionView;
import io.tributary.replication.ConsistencyChecker.Ack;
import io.tributary.replication.ConsistencyChecker.PartitionReplicas;
import io.tributary.replication.ConsistencyChecker.StoredRecord;
import io.tributary.replication.ConsistencyReport.Kind;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults against three broker JVMs while producers keep writing with {@code acks=all}, then
 * {@link ConsistencyChecker} over every replica's own log.
 *
 * <p>The schedule: topic {@code faults}, RF 3, {@code min.insync.replicas=2}; producers send
 * through whichever broker is up; each round picks the leader of a partition (the n-th use of the
 * k-th fault kind hits partition {@code (n + k) mod partitions}, so every kind meets every preferred
 * leader) and does one fault to it, waits for a new leader (a new leader epoch) where the fault takes the broker away,
 * brings the broker back, and waits until every partition has its full ISR and its preferred leader again and the
 * producers have had more acknowledgements. The faults: {@code kill} (SIGKILL, then start on the
 * same data directory), {@code pause} (SIGSTOP until its session expires and another replica
 * leads, then SIGCONT: a leader that wakes up still believing it leads), {@code restart} (SIGTERM,
 * a controlled shutdown, then start). By default 5 rounds of {@code kill}; system properties set a
 * longer schedule (README, "Fault schedules"): {@code faults.rounds}, {@code faults.kinds} (comma
 * separated, used in turn), {@code faults.partitions}, {@code faults.producers}.
 *
 * <p>After the faults: one more acknowledged record per partition (a fence: once it is
 * acknowledged, the leader's high watermark covers everything it had, so the committed end is
 * known), the ISR full again, every broker stopped, and each data directory opened with the
 * storage engine ({@link ReplicaLogs}).
 *
 * <p>The negative control shows the checker is able to fail: with unclean election on and
 * {@code min.insync.replicas=1}, records acknowledged by a leader alone are lost when it dies and
 * an out-of-sync follower is elected, and the checker must say so.
 */
class ReplicationFaultScheduleIT {

    private static final Duration LONG = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    enum Fault { KILL, PAUSE, RESTART }

    @TempDir
    Path root;

    private static int property(String name, int defaultValue) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(defaultValue)).trim());
    }

    private static List<Fault> faultKinds() {
        return Arrays.stream(System.getProperty("faults.kinds", "kill").split(","))
                .map(s -> Fault.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
    }

    @Test
    void leaderFaultsUnderAcksAllLeaveEveryAcknowledgedRecordOnEveryReplicaOnce() throws Exception {
        int rounds = property("faults.rounds", 5);
        List<Fault> kinds = faultKinds();
        int partitions = property("faults.partitions", 3);
        Map<Fault, Integer> done = new EnumMap<>(Fault.class);
        List<Ack> acks = new ArrayList<>();
        long retriable = 0;
        long begin = System.nanoTime();
        try (BrokerProcesses cluster = new BrokerProcesses(root, 3, SESSION_TIMEOUT)) {
            createTopic(cluster, "faults", partitions, "{\"min.insync.replicas\":\"2\"}");
            System.out.printf("three brokers up and topic created in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
            List<SequencedProducer> producers = new ArrayList<>();
            for (int i = 0; i < property("faults.producers", 2); i++) {
                producers.add(new SequencedProducer("p" + i, cluster::liveRestPort, "faults", partitions));
            }
            await().atMost(LONG).until(() -> acknowledged(producers) >= 20);
            runSchedule(cluster, producers, rounds, kinds, partitions, done);
            for (SequencedProducer producer : producers) {
                producer.close();
                acks.addAll(producer.acks());
                retriable += producer.retriableFailures();
                assertThat(producer.fatalFailures()).as("failures that were not retriable").isEmpty();
            }
            long checking = System.nanoTime();
            ConsistencyReport report = checkEveryReplica(cluster, "faults", acks);
            System.out.printf("faults %s; %d acknowledged, %d retriable failures; fenced, stopped, read and checked in %d ms; %s%n",
                    done, acks.size(), retriable, (System.nanoTime() - checking) / 1_000_000, report);
            assertThat(report.anomalies()).as(() -> report + cluster.logTails(40)).isEmpty();
        }
        assertThat(done.getOrDefault(Fault.KILL, 0)).as("leaders killed").isGreaterThanOrEqualTo(5);
        assertThat(done.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(rounds);
        assertThat(acks).as("acknowledged records").hasSizeGreaterThan(rounds * 10);
    }

    @Test
    void theCheckerReportsTheRecordsAnUncleanElectionLoses() throws Exception {
        try (BrokerProcesses cluster = new BrokerProcesses(root, 3, SESSION_TIMEOUT)) {
            createTopic(cluster, "unclean", 1,
                    "{\"min.insync.replicas\":\"1\",\"unclean.leader.election.enable\":\"true\"}");
            int leader = cluster.describe("unclean").get(0).leader();
            List<Integer> followers = cluster.describe("unclean").get(0).replicas().stream().filter(id -> id != leader).toList();
            List<Ack> acks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                acks.add(produce(cluster, leader, "unclean", 0, "kept", i));
            }
            for (int follower : followers) {
                cluster.pause(follower);
            }
            await().atMost(LONG).pollInterval(POLL).ignoreExceptions()
                    .until(() -> cluster.describe("unclean").get(0).isr().equals(List.of(leader)));
            for (int i = 0; i < 5; i++) {
                acks.add(produce(cluster, leader, "unclean", 0, "lost", i));
            }
            cluster.kill(leader);
            for (int follower : followers) {
                cluster.resume(follower);
            }
            await().atMost(LONG).pollInterval(POLL).ignoreExceptions()
                    .until(() -> followers.contains(cluster.describe("unclean").get(0).leader()));
            cluster.start(leader);
            awaitSettled(cluster, "unclean");

            ConsistencyReport report = checkEveryReplica(cluster, "unclean", acks);
            System.out.println("negative control: " + report);
            assertThat(report.count(Kind.MISSING)).as(() -> report + cluster.logTails(40)).isEqualTo(5);
            assertThat(report.anomalies()).filteredOn(a -> a.kind() == Kind.MISSING)
                    .allMatch(a -> a.detail().startsWith("lost-"));
        }
    }

    /** Each round: one fault, the partitions settled again, and producers acknowledged after it. */
    private static void runSchedule(BrokerProcesses cluster, List<SequencedProducer> producers, int rounds, List<Fault> kinds,
                                    int partitions, Map<Fault, Integer> done) throws Exception {
        for (int round = 0; round < rounds; round++) {
            Fault fault = kinds.get(round % kinds.size());
            long started = System.nanoTime();
            int before = acknowledged(producers);
            int leader = inject(cluster, fault, (round / kinds.size() + round % kinds.size()) % partitions);
            awaitSettled(cluster, "faults");
            await().atMost(LONG).until(() -> acknowledged(producers) >= before + 10);
            done.merge(fault, 1, Integer::sum);
            System.out.printf("round %d: %s broker %d, %d acknowledged, %d ms%n", round + 1, fault, leader,
                    acknowledged(producers), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Does {@code fault} to the leader of {@code partition} and brings it back; returns the broker.
     * A killed or paused broker stays down or frozen until another replica leads in a new epoch.
     */
    private static int inject(BrokerProcesses cluster, Fault fault, int partition) throws Exception {
        PartitionView before = cluster.describe("faults").get(partition);
        int leader = before.leader();
        switch (fault) {
            case KILL -> {
                cluster.kill(leader);
                awaitNewLeaderEpoch(cluster, before);
                cluster.start(leader);
            }
            case PAUSE -> {
                cluster.pause(leader);
                awaitNewLeaderEpoch(cluster, before);
                cluster.resume(leader);
            }
            case RESTART -> {
                cluster.stop(leader);
                cluster.start(leader);
            }
        }
        return leader;
    }

    /** A new epoch means another leader was elected (each leader change bumps it). */
    private static void awaitNewLeaderEpoch(BrokerProcesses cluster, PartitionView before) {
        await().atMost(LONG).pollInterval(POLL).ignoreExceptions()
                .until(() -> cluster.describe("faults").get(before.partition()).leaderEpoch() > before.leaderEpoch());
    }

    private static int acknowledged(List<SequencedProducer> producers) {
        return producers.stream().mapToInt(SequencedProducer::acknowledged).sum();
    }

    private static void createTopic(BrokerProcesses cluster, String topic, int partitions, String configs) throws Exception {
        HttpResponse<String> r = cluster.post(1, "/api/v1/topics", "{\"name\":\"" + topic + "\",\"partitions\":" + partitions
                + ",\"replicationFactor\":3,\"configs\":" + configs + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        awaitSettled(cluster, topic);
    }

    /** Every partition has its full ISR and its preferred leader. */
    private static List<PartitionView> awaitSettled(BrokerProcesses cluster, String topic) {
        AtomicReference<List<PartitionView>> views = new AtomicReference<>();
        try {
            await().atMost(LONG).pollInterval(POLL).ignoreExceptions().until(() -> {
                views.set(cluster.describe(topic));
                return views.get().stream().allMatch(PartitionView::settled);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The partitions of " + topic + " did not settle: " + cluster.diagnostics(topic), e);
        }
        return views.get();
    }

    /** Sends one record with acks=all through broker {@code via}; it must be acknowledged. */
    private static Ack produce(BrokerProcesses cluster, int via, String topic, int partition, String producer, long sequence)
            throws Exception {
        HttpResponse<String> r = cluster.post(via, "/api/v1/topics/" + topic + "/records?acks=all",
                "{\"records\":[{\"value\":\"" + Ack.value(producer, sequence) + "\",\"partition\":" + partition + "}]}");
        Matcher m = OFFSET.matcher(r.body());
        assertThat(r.statusCode() == 200 && m.find()).as(r.body()).isTrue();
        return new Ack(producer, sequence, partition, Long.parseLong(m.group(1)));
    }

    /**
     * Fences every partition (one acknowledged record each, through any live broker, retried),
     * waits for full ISRs and each leader's high watermark past its fence, stops every broker,
     * reads every data directory and checks them with the fences among {@code acks}.
     */
    private static ConsistencyReport checkEveryReplica(BrokerProcesses cluster, String topic, List<Ack> acks) throws Exception {
        List<Ack> all = new ArrayList<>(acks);
        int partitions = cluster.describe(topic).size();
        Map<Integer, Long> fences = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            Ack fence = await().atMost(LONG).pollInterval(POLL).ignoreExceptions()
                    .until(() -> produce(cluster, cluster.liveBroker(), topic, partition,
                            "fence", partition), a -> true);
            all.add(fence);
            fences.put(partition, fence.offset());
        }
        AtomicReference<List<PartitionView>> end = new AtomicReference<>();
        await().atMost(LONG).pollInterval(POLL).ignoreExceptions().until(() -> {
            end.set(awaitSettled(cluster, topic));
            return end.get().stream().allMatch(v -> v.highWatermark() > fences.get(v.partition()));
        });
        cluster.stopAll();
        Map<Integer, Map<Integer, List<StoredRecord>>> byBroker = new HashMap<>();
        List<PartitionReplicas> read = new ArrayList<>();
        for (PartitionView v : end.get()) {
            Map<Integer, List<StoredRecord>> replicas = new HashMap<>();
            for (int broker : v.replicas()) {
                replicas.put(broker, byBroker.computeIfAbsent(broker, b -> ReplicaLogs.read(cluster.dataDir(b), topic))
                        .getOrDefault(v.partition(), List.of()));
            }
            read.add(new PartitionReplicas(v.partition(), v.leader(), v.highWatermark(), replicas));
        }
        return ConsistencyChecker.check(all, read);
    }
}
