package io.tributary.replication;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.replication.ReplicationCodec.Frame;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to another broker's replication channel, made on first use and again after it
 * breaks. Each request gets a correlation id; answers complete the matching future in any order.
 * When the connection closes every outstanding request fails with {@code BROKER_NOT_AVAILABLE}.
 *
 * <p>Thread safety: thread-safe. {@link #request} may block briefly while connecting, so call it
 * from a fetcher thread or a bounded-elastic worker, never from an event loop.
 */
public final class ReplicationClient implements AutoCloseable {

    private final String host;
    private final int port;
    private final AtomicInteger correlationIds = new AtomicInteger();
    private final Map<Integer, CompletableFuture<ByteBuffer>> pending = new ConcurrentHashMap<>();
    private Connection connection;
    private volatile boolean closed;

    ReplicationClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    String address() {
        return host + ":" + port;
    }

    /** Sends one request; the future completes with the answer's body or fails after {@code timeoutMs}. */
    CompletableFuture<ByteBuffer> request(byte apiKey, ByteBuffer body, long timeoutMs) {
        int id = correlationIds.incrementAndGet();
        CompletableFuture<ByteBuffer> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            Connection c = connection();
            c.outbound().sendByteArray(Mono.just(ReplicationCodec.frame(apiKey, id, body))).then()
                    .subscribe(null, e -> fail(id, e));
        } catch (RuntimeException e) {
            fail(id, e);
        }
        return answer.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((ok, e) -> pending.remove(id));
    }

    private synchronized Connection connection() {
        if (closed) {
            throw unavailable("the client is closed");
        }
        if (connection == null || connection.isDisposed()) {
            Connection c = TcpClient.create()
                    .host(host)
                    .port(port)
                    .doOnConnected(conn -> conn.addHandlerFirst(new LengthFieldBasedFrameDecoder(
                            ReplicationCodec.MAX_FRAME_BYTES, 0, ReplicationCodec.FRAME_LENGTH_LENGTH, 0,
                            ReplicationCodec.FRAME_LENGTH_LENGTH)))
                    .connectNow(Duration.ofSeconds(5));
            c.inbound().receive().asByteArray().subscribe(this::onFrame, e -> onClosed(c), () -> onClosed(c));
            c.onDispose(() -> onClosed(c));
            connection = c;
        }
        return connection;
    }

    private void onFrame(byte[] bytes) {
        Frame frame = Frame.parse(bytes);
        CompletableFuture<ByteBuffer> answer = pending.remove(frame.correlationId());
        if (answer != null) {
            answer.complete(frame.body());
        }
    }

    private void onClosed(Connection c) {
        synchronized (this) {
            if (connection == c) {
                connection = null;
            }
        }
        c.dispose();
        for (Integer id : pending.keySet()) {
            fail(id, unavailable("the connection closed"));
        }
    }

    private void fail(int id, Throwable e) {
        CompletableFuture<ByteBuffer> answer = pending.remove(id);
        if (answer != null) {
            answer.completeExceptionally(e instanceof TributaryException ? e : unavailable(e.toString()));
        }
    }

    private TributaryException unavailable(String why) {
        return new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "Broker at " + address() + " is not reachable: " + why);
    }

    @Override
    public void close() {
        Connection c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.dispose();
        }
        for (Integer id : pending.keySet()) {
            fail(id, unavailable("the client is closed"));
        }
    }
}
