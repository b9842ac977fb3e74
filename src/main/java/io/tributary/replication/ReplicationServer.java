package io.tributary.replication;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.tributary.replication.ReplicationCodec.Frame;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import java.nio.ByteBuffer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader side of the replication channel: a reactor-netty TCP server that reads
 * length-prefixed frames ({@link ReplicationCodec}), hands each to the request handler off the
 * event loop, and writes the answer with the request's correlation id. Requests on one connection
 * are started one at a time in arrival order, on the connection's own
 * {@link LogIoScheduler#serial()} (so the produces a broker forwards for one client are appended in
 * the order they were sent, and a request given up never interrupts log I/O), and then finish
 * concurrently: a long-polling fetch waits without holding up the requests behind it, so answers
 * may come back out of order; the correlation id pairs them.
 *
 * <p>The handler is set after the broker's replicas exist; until then every request fails
 * ({@code BROKER_NOT_AVAILABLE}) and the caller retries. Thread safety: thread-safe.
 */
public final class ReplicationServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationServer.class);
    private static final int MAX_IN_FLIGHT_PER_CONNECTION = 1024;

    private final DisposableServer server;
    private volatile Function<Frame, Mono<ByteBuffer>> handler;

    private ReplicationServer(String host, int port) {
        this.server = TcpServer.create()
                .host(host)
                .port(port)
                .doOnConnection(c -> c.addHandlerFirst(new LengthFieldBasedFrameDecoder(
                        ReplicationCodec.MAX_FRAME_BYTES, 0, ReplicationCodec.FRAME_LENGTH_LENGTH, 0,
                        ReplicationCodec.FRAME_LENGTH_LENGTH)))
                .handle((in, out) -> {
                    Scheduler inArrivalOrder = LogIoScheduler.serial();
                    return out.sendByteArray(in.receive().asByteArray()
                            .flatMap(bytes -> serve(bytes, inArrivalOrder), MAX_IN_FLIGHT_PER_CONNECTION));
                })
                .bindNow();
        LOG.info("Replication channel listening on {}:{}", host, server.port());
    }

    /** Binds {@code host:port} (port 0: any free port). */
    public static ReplicationServer start(String host, int port) {
        return new ReplicationServer(host, port);
    }

    public int port() {
        return server.port();
    }

    void setHandler(Function<Frame, Mono<ByteBuffer>> handler) {
        this.handler = handler;
    }

    private Mono<byte[]> serve(byte[] bytes, Scheduler inArrivalOrder) {
        Frame frame = Frame.parse(bytes);
        Function<Frame, Mono<ByteBuffer>> h = handler;
        if (h == null) {
            return Mono.empty();
        }
        return Mono.defer(() -> h.apply(frame))
                .subscribeOn(inArrivalOrder)
                .map(body -> ReplicationCodec.frame(frame.apiKey(), frame.correlationId(), body))
                .onErrorResume(e -> {
                    LOG.warn("Replication request {} failed: {}", frame.apiKey(), e.toString());
                    return Mono.empty();
                });
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
