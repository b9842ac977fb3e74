package io.tributary.bench.cluster;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady producer for the failover case: {@code workers} clients, each sending one batch request
 * with {@code acks=all} to one broker, waiting for its answer or giving up after {@code timeoutMs},
 * and sending the next at once (after an error, {@code retryMs} later): a client that retries every
 * error with a short timeout. A closed loop, so a slow cluster is not buried under requests it can
 * no longer answer in time. The first request sent after the kill that is acknowledged marks the
 * end of the failover. Every outcome is kept with its send and completion time. Thread safety:
 * {@link #start} once; the outcome queue is concurrent.
 */
final class FailoverProbe implements AutoCloseable {

    /** One request: sent and completed ({@link System#nanoTime()}), and "ok", an error code or an exception. */
    record Outcome(long sentNanos, long doneNanos, String result) {
        boolean ok() {
            return "ok".equals(result);
        }
    }

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final String path;
    private final byte[] body;
    private final Duration timeout;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final int workers;
    private final long retryMs;
    private volatile boolean running = true;

    FailoverProbe(String baseUrl, String path, byte[] body, int workers, long retryMs, long timeoutMs) {
        this.timeout = Duration.ofMillis(timeoutMs);
        this.pool = ConnectionProvider.builder("bench-failover").maxConnections(workers).pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeout).build();
        this.client = HttpClient.create(pool).baseUrl(baseUrl).responseTimeout(timeout)
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        this.path = path;
        this.body = body.clone();
        this.workers = workers;
        this.retryMs = retryMs;
    }

    void start() {
        for (int i = 0; i < workers; i++) {
            // staggered, so that the workers' requests spread over time
            Mono.delay(Duration.ofMillis(i * retryMs)).then(Mono.defer(this::sendOnce))
                    .repeat(() -> running).subscribe();
        }
    }

    private Mono<Void> sendOnce() {
        long sent = System.nanoTime();
        return client.post().uri(path).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> response.status().code() == 200 ? "ok" : errorKind(response.status().code(), text)))
                .timeout(timeout)
                .onErrorResume(e -> Mono.just(e.getClass().getSimpleName()))
                .flatMap(result -> {
                    outcomes.add(new Outcome(sent, System.nanoTime(), result));
                    return "ok".equals(result) ? Mono.<Void>empty() : Mono.delay(Duration.ofMillis(retryMs)).then();
                });
    }

    private static String errorKind(int status, String body) {
        Matcher m = CODE.matcher(body);
        return m.find() ? m.group(1) : "HTTP " + status;
    }

    /** How many requests sent before {@code nanos} were acknowledged. */
    long acknowledgedBefore(long nanos) {
        return outcomes.stream().filter(o -> o.ok() && o.sentNanos() < nanos).count();
    }

    /** The earliest acknowledgement of a request sent at or after {@code nanos}, or -1 if none yet. */
    long firstAckOfRequestSentAfter(long nanos) {
        return outcomes.stream().filter(o -> o.ok() && o.sentNanos() >= nanos)
                .mapToLong(Outcome::doneNanos).min().orElse(-1);
    }

    /**
     * The outcomes of requests sent from {@code fromNanos} until {@code toNanos}, by result: count,
     * first and last completion in milliseconds after {@code fromNanos}.
     */
    String summary(long fromNanos, long toNanos) {
        Map<String, long[]> byResult = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.sentNanos() >= fromNanos && o.sentNanos() <= toNanos) {
                long at = (o.doneNanos() - fromNanos) / 1_000_000;
                byResult.merge(o.result(), new long[]{1, at, at},
                        (a, b) -> new long[]{a[0] + 1, Math.min(a[1], b[1]), Math.max(a[2], b[2])});
            }
        }
        StringBuilder text = new StringBuilder();
        byResult.forEach((result, s) -> text.append(text.isEmpty() ? "" : ", ").append(result).append(" x").append(s[0])
                .append(" (").append(s[1]).append("-").append(s[2]).append(" ms)"));
        return text.toString();
    }

    @Override
    public void close() {
        running = false;
        pool.dispose();
    }
}
