package io.tributary.bench.front;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The producing side of the end-to-end latency case: every tick (a millisecond by default) one HTTP
 * request of {@code perTick} records, each value carrying its send time ({@link Payloads#timedValue}), without
 * waiting for earlier requests (a late tick sends at once, so the rate holds). Runs on its own
 * thread. Thread safety: {@link #run} on one thread; the counters are atomic.
 */
public final class LatencyProbe implements AutoCloseable {

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final String path;
    private final int perTick;
    private final int valueBytes;
    private final int[] partitions;
    private int nextPartition;
    public final AtomicLong sent = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public volatile String firstFailure;

    public LatencyProbe(String baseUrl, String topic, String acks, int perTick, int valueBytes) {
        this(baseUrl, topic, acks, perTick, valueBytes, new int[0]);
    }

    /**
     * As the other constructor, each record naming one of {@code partitions} in turn (none given: the
     * broker spreads them).
     */
    public LatencyProbe(String baseUrl, String topic, String acks, int perTick, int valueBytes, int[] partitions) {
        this.pool = ConnectionProvider.builder("bench-latency").maxConnections(32).pendingAcquireMaxCount(-1).build();
        this.client = HttpClient.create(pool).baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30))
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        this.path = "/api/v1/topics/" + topic + "/records?acks=" + acks;
        this.perTick = perTick;
        this.valueBytes = valueBytes;
        this.partitions = partitions.clone();
    }

    /** Sends one request every {@code tickMs} milliseconds until {@code endNanos}. */
    public void run(long endNanos, int tickMs) {
        long tick = System.nanoTime();
        long period = TimeUnit.MILLISECONDS.toNanos(tickMs);
        while (tick < endNanos) {
            long wait = tick - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send();
            tick += period;
        }
    }

    private void send() {
        StringBuilder body = new StringBuilder(perTick * (valueBytes + 16) + 16).append("{\"records\":[");
        long now = System.nanoTime();
        for (int i = 0; i < perTick; i++) {
            String partition = partitions.length == 0 ? ""
                    : Payloads.partitionField(partitions[nextPartition++ % partitions.length]);
            body.append(i == 0 ? "" : ",").append('{').append(partition).append("\"value\":").append(Payloads.timedValue(now, valueBytes)).append('}');
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        client.post().uri(path).send((request, out) -> out.send(Mono.just(Unpooled.wrappedBuffer(bytes))))
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                .subscribe(status -> {
                    if (status == 200) {
                        sent.addAndGet(perTick);
                    } else {
                        fail("HTTP " + status);
                    }
                }, error -> fail(String.valueOf(error)));
    }

    private void fail(String what) {
        if (failed.getAndIncrement() == 0) {
            firstFailure = what;
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
