package io.tributary.bench.front;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * REST fetch load: one client per partition reads it from offset 0 to a given end, request after
 * request ({@code GET .../partitions/{p}/records?offset=&maxRecords=&maxBytes=}), following
 * {@code nextOffset}. The response body is scanned for {@code nextOffset}, not parsed.
 * Thread safety: one instance per case.
 */
final class FetchLoad implements AutoCloseable {

    private final ConnectionProvider pool;
    private final HttpClient client;

    FetchLoad(String baseUrl, int connections) {
        this.pool = ConnectionProvider.builder("bench-fetch").maxConnections(connections).build();
        this.client = HttpClient.create(pool).baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(60));
    }

    /** Reads partitions {@code 0..ends.length-1} up to {@code ends[p]}; returns the records read. */
    Mono<Long> readAll(String topic, long[] ends, int maxRecords, int maxBytes) {
        AtomicLong total = new AtomicLong();
        return Flux.range(0, ends.length)
                .flatMap(p -> readPartition(topic, p, 0, ends[p], maxRecords, maxBytes, total), ends.length)
                .then(Mono.fromSupplier(total::get));
    }

    private Mono<Void> readPartition(String topic, int partition, long offset, long end, int maxRecords, int maxBytes,
                                     AtomicLong total) {
        if (offset >= end) {
            return Mono.empty();
        }
        String path = "/api/v1/topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset
                + "&maxRecords=" + maxRecords + "&maxBytes=" + maxBytes;
        return client.get().uri(path)
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0]).map(body -> {
                    if (response.status().code() != 200) {
                        throw new IllegalStateException("HTTP " + response.status().code() + " from " + path + ": "
                                + HttpProduceLoad.abbreviate(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    return nextOffset(body);
                }))
                .flatMap(next -> {
                    if (next <= offset) {
                        return Mono.error(new IllegalStateException("No progress at " + path));
                    }
                    total.addAndGet(next - offset);
                    return readPartition(topic, partition, next, end, maxRecords, maxBytes, total);
                });
    }

    /**
     * Long-polls every partition ({@code maxWaitMs}) from its start, handing each timed value's
     * send time to {@code latencies} as it arrives, until {@code stop} completes.
     */
    Mono<Void> tailTimed(String topic, int partitions, LatencyRecorder latencies, Mono<Void> stop) {
        return Flux.range(0, partitions)
                .flatMap(p -> Mono.just(new long[]{0})
                        .flatMap(next -> Mono.defer(() -> client.get().uri("/api/v1/topics/" + topic + "/partitions/"
                                        + p + "/records?offset=" + next[0] + "&maxRecords=10000&maxWaitMs=500")
                                        .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])))
                                .doOnNext(body -> {
                                    long now = System.nanoTime();
                                    synchronized (latencies) {
                                        new JsonScan("t").scan(body, 0, body.length, (n, sent) -> latencies.record(sent, now));
                                    }
                                    next[0] = Math.max(next[0], nextOffset(body));
                                })
                                .repeat()
                                .takeUntilOther(stop)
                                .then()), partitions)
                .then();
    }

    private static long nextOffset(byte[] body) {
        long[] next = {-1};
        // nextOffset follows the records array: scan from the end's neighbourhood first
        int from = Math.max(0, body.length - 256);
        JsonScan scan = new JsonScan("nextOffset");
        scan.scan(body, from, body.length, (name, value) -> next[0] = value);
        if (next[0] < 0) {
            scan.scan(body, 0, body.length, (name, value) -> next[0] = value);
        }
        return next[0];
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
