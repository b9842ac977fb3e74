package io.tributary.api.ws;

import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /ws/v1/consume}: streams records of the partitions the query names, as
 * {@code {"type":"records","records":[...]}} frames, from the positions {@code from} resolves to.
 * The query is checked and every start position resolved before anything is streamed; a bad
 * query gets an error frame and a close (see {@link ErrorFrames}). An explicit offset outside
 * {@code [logStartOffset, highWatermark]} of any partition is such an error (OFFSET_OUT_OF_RANGE,
 * close 1008), while the same on a later {@code seek} is refused without closing.
 *
 * <p>The subscription is a {@link ConsumeSession} with a fixed assignment; a consumer-group member
 * is the same session with an assignment that follows the group. Thread safety: thread-safe.
 */
public final class ConsumeHandler implements WebSocketHandler {

    private final ConsumeService consume;
    private final JsonMapper mapper;
    private final int readBytes;
    private final int maxReadRecords;
    private final int maxFrameBytes;

    /**
     * @param readBytes      log bytes read per delivery (at least one batch)
     * @param maxReadRecords records per delivery
     * @param maxFrameBytes  the size of a records frame (a delivery may take several)
     */
    public ConsumeHandler(ConsumeService consume, JsonMapper mapper, int readBytes, int maxReadRecords,
                          int maxFrameBytes) {
        this.consume = consume;
        this.mapper = mapper;
        this.readBytes = readBytes;
        this.maxReadRecords = maxReadRecords;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Mono<Void> handle(WebSocketSession ws) {
        Outbox out = new Outbox(ws);
        AtomicReference<ConsumeConnection> connection = new AtomicReference<>();
        return Mono.fromCallable(() -> start(ws, out, connection))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(conn -> ws.receive().concatMap(conn::onMessage).then())
                .onErrorResume(e -> {
                    TributaryException error = ErrorFrames.asTributary(e);
                    out.send(ErrorFrames.error(error, true, null));
                    return Mono.fromFuture(out.close(ErrorFrames.closeStatus(error.code())));
                })
                .doFinally(signal -> {
                    ConsumeConnection conn = connection.get();
                    if (conn != null) {
                        conn.close();
                    }
                });
    }

    private ConsumeConnection start(WebSocketSession ws, Outbox out, AtomicReference<ConsumeConnection> holder) {
        ConsumeRequest request = ConsumeRequest.parse(QueryParams.of(ws.getHandshakeInfo().getUri()), consume);
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : request.partitions()) {
            positions.put(tp, consume.resolve(tp, request.from()));
        }
        ConsumeConnection connection = new ConsumeConnection(out, consume, mapper, request, maxFrameBytes);
        holder.set(connection);
        ConsumeSession session = consume.open(connection,
                new ConsumeSession.Options(readBytes, maxReadRecords, request.creditMode()),
                ConsumeSession.DeliveryListener.NONE);
        connection.attach(session);
        session.assign(positions);
        return connection;
    }
}
