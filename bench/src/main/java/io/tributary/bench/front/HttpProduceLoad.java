package io.tributary.bench.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP produce load: batch requests ({@code POST .../records}, one JSON body of many records) on a
 * fixed number of keep-alive connections, each connection one request at a time; and NDJSON
 * streams (one long request per connection, one record per line, one position per line back).
 * Thread safety: one instance per case.
 */
public final class HttpProduceLoad implements AutoCloseable {

    private static final ByteBuf ERROR_FIELD =
            Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\"error\"", StandardCharsets.US_ASCII));

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final int connections;

    public HttpProduceLoad(String baseUrl, int connections) {
        this.connections = connections;
        this.pool = ConnectionProvider.builder("bench-produce").maxConnections(connections)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofMinutes(5)).build();
        this.client = HttpClient.create(pool).baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(60));
    }

    /** Batch requests of {@code body} (holding {@code recordsPerRequest} records) until the meter stops. */
    public Mono<Void> batches(String path, byte[] body, int recordsPerRequest, Meter meter) {
        return Flux.range(0, connections)
                .flatMap(worker -> Mono.defer(() -> postOnce(path, body))
                        .doOnNext(status -> {
                            if (status == 200) {
                                meter.acked(recordsPerRequest);
                            }
                        })
                        .repeat(meter::running)
                        .onErrorResume(e -> {
                            meter.failed(String.valueOf(e.getMessage()));
                            return Mono.empty();
                        })
                        .then(), connections)
                .then();
    }

    /** Exactly {@code requests} batch requests, {@code connections} at a time; fails on any error. */
    Mono<Void> fill(String path, byte[] body, long requests) {
        return Flux.range(0, (int) requests)
                .flatMap(i -> postOnce(path, body).flatMap(status -> status == 200 ? Mono.empty()
                        : Mono.error(new IllegalStateException("HTTP " + status + " while filling the topic"))), connections)
                .then();
    }

    private Mono<Integer> postOnce(String path, byte[] body) {
        return client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> {
                            int status = response.status().code();
                            if (status != 200) {
                                throw new IllegalStateException("HTTP " + status + ": " + abbreviate(text));
                            }
                            return status;
                        }));
    }

    /**
     * One NDJSON stream per connection: {@code chunk} (holding {@code linesPerChunk} records) sent
     * again and again while the meter runs; each position line that comes back counts one record.
     */
    Mono<Void> streams(String path, byte[] chunk, Meter meter) {
        return Flux.range(0, connections)
                .flatMap(worker -> stream(path, chunk, meter), connections)
                .then();
    }

    private Mono<Void> stream(String path, byte[] chunk, Meter meter) {
        Flux<ByteBuf> lines = Flux.<ByteBuf>generate(sink -> {
            if (meter.running()) {
                sink.next(Unpooled.wrappedBuffer(chunk));
            } else {
                sink.complete();
            }
        });
        return client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                        .set(HttpHeaderNames.ACCEPT, "application/x-ndjson"))
                .post().uri(path)
                .send(lines)
                .response((response, content) -> {
                    if (response.status().code() != 200) {
                        return content.aggregate().asString().defaultIfEmpty("")
                                .doOnNext(text -> meter.failed("HTTP " + response.status().code() + ": " + abbreviate(text)))
                                .then();
                    }
                    return content.doOnNext(buf -> {
                        int newlines = countLines(buf);
                        if (ByteBufUtil.indexOf(ERROR_FIELD, buf) >= 0) {
                            meter.failed("stream ended with " + abbreviate(buf.toString(StandardCharsets.UTF_8)));
                            newlines--;
                        }
                        meter.acked(newlines);
                    }).then();
                })
                .then();
    }

    private static int countLines(ByteBuf buf) {
        int count = 0;
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) {
            if (buf.getByte(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
