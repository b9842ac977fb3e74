package io.tributary.api.ws;

import org.reactivestreams.Subscription;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real WebSocket client for tests: collects server frames (parsed JSON) in a queue, sends text
 * frames, records the close status, and can stop reading (to test backpressure). A frame hook
 * sees every frame as it arrives, before it is queued; {@link #drop()} ends the TCP connection
 * without a close frame, as a crash would.
 */
public final class WsTestClient implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(20);

    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final Sinks.Many<WebSocketMessage> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicReference<org.springframework.web.reactive.socket.WebSocketSession> session = new AtomicReference<>();
    private final Reader reader;
    private final reactor.core.Disposable connection;
    private final Consumer<JsonNode> hook;
    private final AtomicReference<io.netty.channel.Channel> channel = new AtomicReference<>();

    private WsTestClient(int port, String pathAndQuery, long initialDemand) {
        this(HttpClient.create(), port, pathAndQuery, initialDemand, frame -> { });
    }

    private WsTestClient(HttpClient http, int port, String pathAndQuery, long initialDemand, Consumer<JsonNode> hook) {
        this.reader = new Reader(initialDemand);
        this.hook = hook;
        ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(
                http.doOnConnected(c -> channel.set(c.channel())),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024));
        CompletableFuture<Void> connected = new CompletableFuture<>();
        connection = client.execute(URI.create("ws://127.0.0.1:" + port + pathAndQuery), ws -> {
            session.set(ws);
            connected.complete(null);
            ws.closeStatus().subscribe(closed::complete, closed::completeExceptionally,
                    () -> closed.complete(CloseStatus.NO_STATUS_CODE));
            ws.receive().map(WebSocketMessage::getPayloadAsText).subscribe(reader);
            return ws.send(outgoing.asFlux().map(m -> ws.textMessage(m.getPayloadAsText())))
                    .then(Mono.fromFuture(closed)).then();
        }).subscribe(null, error -> closed.completeExceptionally(error));
        connected.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static WsTestClient connect(int port, String pathAndQuery) {
        return new WsTestClient(port, pathAndQuery, Long.MAX_VALUE);
    }

    /** Connects through {@code http} (e.g. on a chosen event loop); {@code hook} sees each frame on arrival. */
    static WsTestClient connect(HttpClient http, int port, String pathAndQuery, Consumer<JsonNode> hook) {
        return new WsTestClient(http, port, pathAndQuery, Long.MAX_VALUE, hook);
    }

    /** Closes the TCP connection at once, with no close frame: the server sees a dropped connection. */
    public void drop() {
        channel.get().close();
        closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).exceptionally(e -> null).join();
        connection.dispose();
    }

    /** Connects but reads no frame until {@link #request(long)}. */
    public static WsTestClient connectNotReading(int port, String pathAndQuery) {
        return new WsTestClient(port, pathAndQuery, 0);
    }

    public void request(long n) {
        reader.request(n);
    }

    public void send(String json) {
        var ws = session.get();
        outgoing.emitNext(ws.textMessage(json), Sinks.EmitFailureHandler.busyLooping(WAIT));
    }

    void sendBinary(byte[] bytes) {
        var ws = session.get();
        ws.send(Mono.just(ws.binaryMessage(f -> f.wrap(bytes)))).subscribe();
    }

    /** The next frame; fails when none comes in time. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("No frame arrived within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, which must have the given type. */
    public JsonNode next(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asString()).as(frame.toString()).isEqualTo(type);
        return frame;
    }

    /** Records from records frames until {@code count} have arrived; fails on any other frame. */
    public List<JsonNode> records(int count) {
        List<JsonNode> records = new ArrayList<>();
        while (records.size() < count) {
            JsonNode frame = next("records");
            frame.get("records").forEach(records::add);
        }
        return records;
    }

    public CloseStatus awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        var ws = session.get();
        if (ws != null && ws.isOpen()) {
            ws.close().block(WAIT);
        }
        connection.dispose();
    }

    /** Parses frames into the queue, with controllable demand. */
    private final class Reader extends BaseSubscriber<String> {
        private final long initialDemand;

        Reader(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            if (initialDemand > 0) {
                subscription.request(initialDemand);
            }
        }

        @Override
        protected void hookOnNext(String text) {
            JsonNode frame = MAPPER.readTree(text);
            hook.accept(frame);
            frames.add(frame);
        }
    }
}
