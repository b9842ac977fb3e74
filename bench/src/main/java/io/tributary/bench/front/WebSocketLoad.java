package io.tributary.bench.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * WebSocket load against {@code /ws/v1/produce} and {@code /ws/v1/consume}. Produce pipelines
 * frames of many records, keeping a fixed number unacknowledged per connection. Consume counts
 * records in {@code records} frames with {@link JsonScan} (no JSON tree per record).
 * Thread safety: each connection's state is touched only on its event loop.
 */
public final class WebSocketLoad {

    /** Large frames: a consume frame may carry many records. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    /** How an error frame starts: the broker writes {@code type} first in every frame. */
    private static final ByteBuf ERROR_TYPE = ascii("{\"type\":\"error\"");
    private static final ByteBuf ACK_TYPE = ascii("\"ack\"");

    private final HttpClient client;
    private final String wsBase;

    /** {@code baseUrl} is the broker's {@code http://host:port}. */
    public WebSocketLoad(String baseUrl) {
        this.wsBase = baseUrl.replaceFirst("^http", "ws");
        this.client = HttpClient.create();
    }

    /** True when {@code error} says the server has no WebSocket endpoint at that path. */
    static boolean endpointMissing(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketClientHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Produces over {@code connections} sockets while the meter runs: frames of
     * {@code recordsPerFrame} records, {@code window} unacknowledged frames per socket.
     */
    Mono<Void> produce(String topic, String acks, int connections, int recordsPerFrame, int valueBytes, int window,
                       Meter meter) {
        byte[] records = Payloads.recordsArray(recordsPerFrame, valueBytes).getBytes(StandardCharsets.UTF_8);
        String uri = wsBase + "/ws/v1/produce?topic=" + topic + "&acks=" + acks;
        return Flux.range(0, connections)
                .flatMap(c -> socket(uri).handle((in, out) -> {
                    Sinks.Many<WebSocketFrame> frames = Sinks.many().unicast().onBackpressureBuffer();
                    long[] state = {0, 0};   // next id, frames outstanding
                    Runnable sendOne = () -> {
                        String prefix = "{\"id\":\"" + (state[0]++) + "\",\"records\":";
                        state[1]++;
                        frames.tryEmitNext(new TextWebSocketFrame(Unpooled.wrappedBuffer(
                                prefix.getBytes(StandardCharsets.US_ASCII), records, new byte[]{'}'})));
                    };
                    for (int i = 0; i < window; i++) {
                        sendOne.run();
                    }
                    Mono<Void> acksIn = in.aggregateFrames(MAX_FRAME_BYTES).receiveFrames()
                            .doOnNext(frame -> {
                                ByteBuf content = frame.content();
                                state[1]--;
                                if (ByteBufUtil.indexOf(ACK_TYPE, content) >= 0) {
                                    meter.acked(recordsPerFrame);
                                } else {
                                    meter.failed(HttpProduceLoad.abbreviate(content.toString(StandardCharsets.UTF_8)));
                                }
                                if (meter.running()) {
                                    sendOne.run();
                                } else if (state[1] == 0) {
                                    frames.tryEmitComplete();
                                }
                            })
                            .takeUntil(frame -> !meter.running() && state[1] == 0)
                            .then();
                    return Mono.when(out.sendObject(frames.asFlux()).then(), acksIn);
                }).then(), connections)
                .then();
    }

    /** What a consume run saw. */
    record ConsumeResult(long records, long firstRecordNanos, long lastRecordNanos, long[] maxOffsets) {
        double recordsPerSecond() {
            return lastRecordNanos > firstRecordNanos ? records * 1e9 / (lastRecordNanos - firstRecordNanos) : 0;
        }
    }

    /**
     * Whether a frame is an error frame. Only its start is compared: searching every frame for the
     * word cost this client more CPU than the broker spent writing the frames.
     */
    private static boolean isError(ByteBuf content) {
        int length = ERROR_TYPE.readableBytes();
        return content.readableBytes() >= length
                && ByteBufUtil.equals(content, content.readerIndex(), ERROR_TYPE, 0, length);
    }

    /** Consumes {@code topic} from the earliest offset until {@code target} records have arrived. */
    Mono<ConsumeResult> consume(String topic, long target, int partitions, Duration idleTimeout) {
        String uri = wsBase + "/ws/v1/consume?topics=" + topic + "&from=earliest";
        return socket(uri).handle((in, out) -> {
            JsonScan scan = new JsonScan("partition", "offset");
            long[] maxOffsets = new long[partitions];
            java.util.Arrays.fill(maxOffsets, -1);
            long[] seen = {0, 0, 0, -1};   // records, first nanos, last nanos, current partition
            return in.aggregateFrames(MAX_FRAME_BYTES).receiveFrames()
                    .timeout(idleTimeout)
                    .doOnNext(frame -> {
                        ByteBuf content = frame.content();
                        if (isError(content)) {
                            throw new IllegalStateException("error frame: "
                                    + HttpProduceLoad.abbreviate(content.toString(StandardCharsets.UTF_8)));
                        }
                        long before = seen[0];
                        scan.scan(content, (name, value) -> {
                            if (name == 0) {
                                seen[3] = value;
                            } else {
                                seen[0]++;
                                int p = (int) seen[3];
                                if (p >= 0 && p < maxOffsets.length && value > maxOffsets[p]) {
                                    maxOffsets[p] = value;
                                }
                            }
                        });
                        if (seen[0] > before) {
                            long now = System.nanoTime();
                            if (before == 0) {
                                seen[1] = now;
                            }
                            seen[2] = now;
                        }
                    })
                    .takeUntil(frame -> seen[0] >= target)
                    .then(Mono.fromSupplier(() -> new ConsumeResult(seen[0], seen[1], seen[2], maxOffsets)));
        }).next();
    }

    /**
     * Subscribes to {@code topic} (a fresh one) from its start and hands each timed value's send time to
     * {@code latencies} as it arrives, until {@code stop} completes. {@code connected} completes
     * once the subscription is open.
     */
    public Mono<Void> consumeTimed(String topic, LatencyRecorder latencies, Mono<Void> stop, Sinks.Empty<Void> connected) {
        return consumeTimedQuery("topics=" + topic, latencies, stop, connected);
    }

    /** As {@link #consumeTimed(String, LatencyRecorder, Mono, Sinks.Empty)}, for partition {@code partition} only. */
    public Mono<Void> consumeTimed(String topic, int partition, LatencyRecorder latencies, Mono<Void> stop,
                                   Sinks.Empty<Void> connected) {
        return consumeTimedQuery("topic=" + topic + "&partition=" + partition, latencies, stop, connected);
    }

    private Mono<Void> consumeTimedQuery(String subscription, LatencyRecorder latencies, Mono<Void> stop,
                                         Sinks.Empty<Void> connected) {
        String uri = wsBase + "/ws/v1/consume?" + subscription + "&from=earliest";
        return socket(uri).handle((in, out) -> {
            connected.tryEmitEmpty();
            JsonScan scan = new JsonScan("t");
            return in.aggregateFrames(MAX_FRAME_BYTES).receiveFrames()
                    .doOnNext(frame -> {
                        long now = System.nanoTime();
                        ByteBuf content = frame.content();
                        if (isError(content)) {
                            throw new IllegalStateException("error frame: "
                                    + HttpProduceLoad.abbreviate(content.toString(StandardCharsets.UTF_8)));
                        }
                        scan.scan(content, (name, sentNanos) -> latencies.record(sentNanos, now));
                    })
                    .takeUntilOther(stop)
                    .then();
        }).then();
    }

    private HttpClient.WebsocketSender socket(String uri) {
        return client.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME_BYTES).build()).uri(uri);
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }
}
