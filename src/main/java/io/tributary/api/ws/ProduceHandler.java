package io.tributary.api.ws;

import io.tributary.api.codec.JsonByteWriter;
import io.tributary.api.codec.ProduceRequestReader;
import io.tributary.api.codec.RecordFormat;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.replication.Acks;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.ConsumeService;
import io.tributary.service.ProduceService;
import io.tributary.service.RecordPosition;
import org.springframework.core.io.buffer.DataBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code /ws/v1/produce?topic=&acks=&keyFormat=&valueFormat=}: each client frame
 * {@code {"id","records":[...]}} (records as in the REST body; optional {@code topic} and
 * {@code acks} override the query's for that frame) is produced as one request and answered by
 * {@code {"type":"ack","id","offsets":[{"partition","offset","timestamp"}]}} or
 * {@code {"type":"error","id","code","retriable","fatal":false,"detail"}}, the id echoed as sent.
 *
 * <p>Pipelining: clients may send frames without waiting. Frames are produced one after another
 * in arrival order (so records of one partition land in frame order) and answered in the same
 * order; up to {@link #MAX_IN_FLIGHT} wait for their acks at once, and the socket stops being read
 * beyond that, so a client that does not read its acks cannot make the broker queue without bound.
 * A frame that is JSON but not a valid request gets an error frame, writes nothing (all or nothing
 * per partition, as REST) and the connection stays open. A frame that is not JSON at all (or is
 * binary) cannot be answered by id: it gets an error frame with a null id, frames after it are not
 * produced, and the connection closes with 1003 once earlier frames are answered. A bad query
 * closes with 1008 before any frame is read. Thread safety: thread-safe.
 */
public final class ProduceHandler implements WebSocketHandler {

    static final int MAX_IN_FLIGHT = 64;

    private final ProduceService produce;
    private final ConsumeService topics;
    private final ProduceRequestReader reader;
    private final JsonMapper mapper;

    public ProduceHandler(ProduceService produce, ConsumeService topics, ProduceRequestReader reader, JsonMapper mapper) {
        this.produce = produce;
        this.topics = topics;
        this.reader = reader;
        this.mapper = mapper;
    }

    /** The query's settings. */
    private record Target(String topic, Acks acks, RecordFormat keys, RecordFormat values) {
    }

    /** What one frame produced: the reply, and whether the connection ends after it. */
    private record Outcome(byte[] reply, boolean fatal) {
    }

    @Override
    public Mono<Void> handle(WebSocketSession ws) {
        return Mono.fromCallable(() -> target(QueryParams.of(ws.getHandshakeInfo().getUri())))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(target -> serve(ws, target))
                .onErrorResume(e -> {
                    TributaryException error = ErrorFrames.asTributary(e);
                    Outbox out = new Outbox(ws);
                    out.send(ErrorFrames.error(error, true, null));
                    return Mono.fromFuture(out.close(ErrorFrames.closeStatus(error.code())));
                });
    }

    private Target target(QueryParams query) {
        String topic = query.get("topic");
        if (topic != null) {
            topics.partitions(topic); // the name is valid and the topic exists
        }
        return new Target(topic, Acks.parse(query.get("acks")),
                RecordFormat.parse(query.get("keyFormat"), RecordFormat.STRING),
                RecordFormat.parse(query.get("valueFormat"), RecordFormat.JSON));
    }

    private Mono<Void> serve(WebSocketSession ws, Target target) {
        AtomicBoolean stopped = new AtomicBoolean();
        Outbox out = new Outbox(ws);
        return ws.receive()
                .filter(m -> m.getType() == WebSocketMessage.Type.TEXT || m.getType() == WebSocketMessage.Type.BINARY)
                .map(ProduceHandler::payload)
                .publishOn(LogIoScheduler.get(), MAX_IN_FLIGHT)
                .map(frame -> {
                    if (stopped.get()) {
                        return Mono.<Outcome>empty(); // after a frame that was not JSON: nothing more is produced
                    }
                    if (frame == BINARY) {
                        stopped.set(true);
                        return Mono.just(notJson("Produce frames are JSON text; binary frames are not accepted"));
                    }
                    return produceFrame(frame, target, stopped);
                })
                .flatMapSequential(outcome -> outcome, MAX_IN_FLIGHT)
                .concatMap(outcome -> Mono.fromFuture(outcome.fatal()
                        ? out.send(outcome.reply()).thenCompose(written -> out.close(ErrorFrames.UNSUPPORTED_DATA))
                        : out.send(outcome.reply())))
                .onErrorResume(e -> Mono.empty()) // the connection failed: nothing left to answer
                .then();
    }

    private static final byte[] BINARY = new byte[0];

    /** The frame's bytes (copied: the buffer is released after this), or {@link #BINARY}. */
    private static byte[] payload(WebSocketMessage message) {
        if (message.getType() != WebSocketMessage.Type.TEXT) {
            return BINARY;
        }
        DataBuffer buffer = message.getPayload();
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        return bytes;
    }

    /** Parses and produces one frame; the returned Mono completes when its records are acknowledged. */
    private Mono<Outcome> produceFrame(byte[] frame, Target target, AtomicBoolean stopped) {
        FrameFields fields = new FrameFields(mapper);
        try {
            var records = reader.read(frame, target.keys(), target.values(), fields::accept);
            fields.checkType();
            String topic = fields.topic() != null ? fields.topic() : target.topic();
            if (topic == null) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "Name the topic in the query (?topic=) or the frame");
            }
            Acks acks = fields.acks() != null ? Acks.parse(fields.acks()) : target.acks();
            byte[] id = fields.id() == null ? ErrorFrames.NULL_ID : fields.id();
            return Mono.fromFuture(produce.produce(topic, records, acks))
                    .map(positions -> new Outcome(ack(id, positions), false))
                    .onErrorResume(e -> Mono.just(new Outcome(ErrorFrames.error(ErrorFrames.asTributary(e), false, id), false)));
        } catch (TributaryException e) {
            byte[] id = fields.id();
            if (id == null) {
                JsonNode tree;
                try {
                    tree = mapper.readTree(frame);
                } catch (JacksonException notJson) {
                    stopped.set(true);
                    return Mono.just(notJson("A produce frame is not JSON: " + notJson.getOriginalMessage()));
                }
                id = tree != null && tree.has("id") ? mapper.writeValueAsBytes(tree.get("id")) : ErrorFrames.NULL_ID;
            }
            return Mono.just(new Outcome(ErrorFrames.error(e, false, id), false));
        }
    }

    private static Outcome notJson(String detail) {
        return new Outcome(ErrorFrames.error(new TributaryException(ErrorCode.INVALID_REQUEST, detail), true, ErrorFrames.NULL_ID), true);
    }

    private static byte[] ack(byte[] id, List<RecordPosition> positions) {
        JsonByteWriter out = new JsonByteWriter(64 + positions.size() * 48);
        out.ascii("{\"type\":\"ack\",\"id\":").raw(id).ascii(",\"offsets\":[");
        for (int i = 0; i < positions.size(); i++) {
            RecordPosition p = positions.get(i);
            out.ascii(i == 0 ? "{\"partition\":" : ",{\"partition\":").number(p.partition())
                    .ascii(",\"offset\":").number(p.offset())
                    .ascii(",\"timestamp\":").number(p.timestamp()).raw((byte) '}');
        }
        return out.ascii("]}").toByteArray();
    }

}
