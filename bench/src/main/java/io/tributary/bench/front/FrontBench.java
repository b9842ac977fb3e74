package io.tributary.bench.front;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@code bench/front-bench.sh}: one case per run against a running broker,
 * each printing {@code RESULT <name> <value>} lines (records per second, or milliseconds) that the
 * script turns into the table. A WebSocket case against a broker without that endpoint prints
 * {@code RESULT <name> n/a (endpoint missing)}.
 *
 * <pre>
 * produce    --url= --topic= --connections= --acks= --warmup= --duration=   batch POSTs of 1000 x 100 B
 * ndjson     --url= --topic= --connections= --acks= --warmup= --duration=   NDJSON streams
 * ws-produce --url= --topic= --connections= --acks= --warmup= --duration=   pipelined frames of 1000 records
 * fill       --url= --topic= --records= --connections=                      produce exactly that many (acks=1)
 * ws-consume --url= --topic= --records= --partitions=                      consume from earliest, first to last
 * fetch      --url= --topic= --partitions= --max-records=                   REST reads of every partition to its end
 * e2e        --url= --topic= --per-tick= --tick-ms= --warmup= --duration= [--via=ws|rest]  produce -> delivery latency
 * </pre>
 */
public final class FrontBench {

    private static final int VALUE_BYTES = 100;
    private static final int RECORDS_PER_REQUEST = 1000;

    private FrontBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: FrontBench <produce|ndjson|ws-produce|fill|ws-consume|fetch|e2e> --name=value...");
            System.exit(2);
        }
        BenchArgs a = new BenchArgs(args, 1);
        String url = a.required("url");
        String topic = a.required("topic");
        String name = a.string("name", args[0]);
        try {
            switch (args[0]) {
                case "produce" -> produce(a, url, topic, name, false);
                case "ndjson" -> produce(a, url, topic, name, true);
                case "ws-produce" -> wsProduce(a, url, topic, name);
                case "fill" -> fill(a, url, topic);
                case "ws-consume" -> wsConsume(a, url, topic, name);
                case "fetch" -> fetch(a, url, topic, name);
                case "e2e" -> endToEnd(a, url, topic, name);
                default -> throw new IllegalArgumentException("Unknown case " + args[0]);
            }
        } catch (Exception e) {
            if (WebSocketLoad.endpointMissing(e)) {
                result(name, "n/a (endpoint missing)");
            } else {
                result(name, "failed (" + e + ")");
                e.printStackTrace();
            }
        }
        Schedulers.shutdownNow();
        System.exit(0);
    }

    private static void produce(BenchArgs a, String url, String topic, String name, boolean ndjson)
            throws InterruptedException {
        int connections = a.integer("connections", 4);
        String path = "/api/v1/topics/" + topic + "/records?acks=" + a.string("acks", "1");
        Meter meter = new Meter();
        try (HttpProduceLoad load = new HttpProduceLoad(url, connections)) {
            Mono<Void> run = ndjson
                    ? load.streams(path, Payloads.ndjson(RECORDS_PER_REQUEST, VALUE_BYTES), meter)
                    : load.batches(path, Payloads.batch(RECORDS_PER_REQUEST, VALUE_BYTES), RECORDS_PER_REQUEST, meter);
            var done = run.subscribeOn(Schedulers.single()).toFuture();
            double rate = meter.measure(a.integer("warmup", 5), a.integer("duration", 15));
            done.get(60, TimeUnit.SECONDS);
            report(name, rate, meter);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void wsProduce(BenchArgs a, String url, String topic, String name) throws Exception {
        Meter meter = new Meter();
        var done = new WebSocketLoad(url).produce(topic, a.string("acks", "1"), a.integer("connections", 4),
                RECORDS_PER_REQUEST, VALUE_BYTES, a.integer("window", 4), meter).toFuture();
        // a missing endpoint fails the handshake: report it rather than measure nothing
        for (int i = 0; i < 300 && !done.isDone() && meter.total() == 0; i++) {
            Thread.sleep(100);
        }
        if (done.isCompletedExceptionally()) {
            done.get();
        }
        double rate = meter.measure(a.integer("warmup", 5), a.integer("duration", 15));
        done.get(60, TimeUnit.SECONDS);
        report(name, rate, meter);
    }

    private static void fill(BenchArgs a, String url, String topic) {
        long records = a.longValue("records", 5_000_000);
        long requests = (records + RECORDS_PER_REQUEST - 1) / RECORDS_PER_REQUEST;
        long start = System.nanoTime();
        try (HttpProduceLoad load = new HttpProduceLoad(url, a.integer("connections", 8))) {
            load.fill("/api/v1/topics/" + topic + "/records?acks=1", Payloads.batch(RECORDS_PER_REQUEST, VALUE_BYTES),
                    requests).block(Duration.ofMinutes(30));
        }
        info("filled " + topic + " with " + requests * RECORDS_PER_REQUEST + " records in "
                + fmt((System.nanoTime() - start) / 1e9) + " s");
    }

    private static void wsConsume(BenchArgs a, String url, String topic, String name) {
        long records = a.longValue("records", 5_000_000);
        WebSocketLoad.ConsumeResult r = new WebSocketLoad(url)
                .consume(topic, records, a.integer("partitions", 6), Duration.ofSeconds(30))
                .block(Duration.ofMinutes(30));
        info(name + ": " + r.records() + " records, max offsets " + java.util.Arrays.toString(r.maxOffsets()));
        result(name, fmt(r.recordsPerSecond()));
    }

    private static void fetch(BenchArgs a, String url, String topic, String name) {
        int partitions = a.integer("partitions", 6);
        long[] ends = new long[partitions];
        try (FetchLoad load = new FetchLoad(url, partitions)) {
            for (int p = 0; p < partitions; p++) {
                ends[p] = latestOffset(url, topic, p);
            }
            long start = System.nanoTime();
            long read = load.readAll(topic, ends, a.integer("max-records", 10_000), a.integer("max-bytes", 4 << 20))
                    .block(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            info(name + ": " + read + " records in " + fmt(seconds) + " s");
            result(name, fmt(read / seconds));
        }
    }

    private static long latestOffset(String url, String topic, int partition) {
        byte[] body = reactor.netty.http.client.HttpClient.create().baseUrl(url).get()
                .uri("/api/v1/topics/" + topic + "/partitions/" + partition + "/offsets")
                .responseContent().aggregate().asByteArray().block(Duration.ofSeconds(30));
        long[] latest = {-1};
        new JsonScan("latest").scan(body, 0, body.length, (n, v) -> latest[0] = v);
        return latest[0];
    }

    private static void endToEnd(BenchArgs a, String url, String topic, String name) throws Exception {
        int perTick = a.integer("per-tick", 10);
        int tickMs = a.integer("tick-ms", 1);
        int warmup = a.integer("warmup", 3);
        int duration = a.integer("duration", 20);
        boolean viaWs = !"rest".equals(a.string("via", "ws"));
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(warmup);
        long endNanos = measureFrom + TimeUnit.SECONDS.toNanos(duration);
        LatencyRecorder latencies = new LatencyRecorder(measureFrom, perTick * (1000 / tickMs) * (duration + 5));
        Sinks.Empty<Void> stop = Sinks.empty();
        Sinks.Empty<Void> connected = Sinks.empty();
        var consumer = (viaWs
                ? new WebSocketLoad(url).consumeTimed(topic, latencies, stop.asMono(), connected)
                : Mono.fromRunnable(connected::tryEmitEmpty)
                        .then(new FetchLoad(url, a.integer("partitions", 6))
                                .tailTimed(topic, a.integer("partitions", 6), latencies, stop.asMono())))
                .toFuture();
        Mono.firstWithSignal(connected.asMono(), Mono.fromFuture(consumer, true)).block(Duration.ofSeconds(30));
        if (consumer.isCompletedExceptionally()) {
            consumer.get();
        }
        try (LatencyProbe probe = new LatencyProbe(url, topic, a.string("acks", "1"), perTick, VALUE_BYTES)) {
            probe.run(endNanos, tickMs);
            double sendSeconds = (System.nanoTime() - startNanos) / 1e9;
            long acknowledged = probe.sent.get();
            TimeUnit.SECONDS.sleep(2);   // the last records' delivery
            stop.tryEmitEmpty();
            consumer.get(30, TimeUnit.SECONDS);
            long[] sorted;
            synchronized (latencies) {
                sorted = latencies.sorted();
            }
            info(name + ": " + probe.sent.get() + " records acknowledged, " + probe.failed.get() + " requests failed (first: " + probe.firstFailure + "), "
                    + sorted.length + " deliveries measured, max " + fmt(sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6) + " ms");
            // the rate the broker actually took: below the rate asked for, the latencies include
            // requests queued in this client, and the figure is not the one the case is about
            result(name + ".rate", fmt(acknowledged / sendSeconds));
            result(name + ".p50", fmt(latencies.percentileMs(sorted, 0.50)));
            result(name + ".p99", fmt(latencies.percentileMs(sorted, 0.99)));
            result(name + ".p999", fmt(latencies.percentileMs(sorted, 0.999)));
        }
    }

    public static void report(String name, double rate, Meter meter) {
        if (meter.errors() > 0) {
            info(name + ": " + meter.errors() + " errors, first: " + meter.firstError());
        }
        if (meter.errors() > 0 && meter.total() == 0) {
            result(name, "failed (" + meter.firstError() + ")");
        } else {
            result(name, fmt(rate));
        }
    }

    public static void result(String name, String value) {
        System.out.println("RESULT " + name + " " + value);
    }

    public static void info(String text) {
        System.err.println("INFO " + text);
    }

    public static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
