package io.tributary.api.ws;

import io.tributary.api.codec.JsonByteWriter;
import io.tributary.api.codec.RecordJsonWriter;
import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import io.tributary.service.StartPosition;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One consume WebSocket: writes the session's chunks as {@code records} frames and applies the
 * client's control frames ({@code seek}, {@code pause}, {@code resume}, {@code credit}).
 *
 * <p>Records frames are written straight to bytes in one reused buffer, then copied once into the
 * connection's pooled buffers; a frame stays under {@code maxFrameBytes} (64 KiB by default, the
 * smallest limit common clients apply) unless one record alone is larger. A malformed control
 * frame is fatal (error frame, then close 1008, or 1003 when it is not JSON at all); a well-formed
 * request the session cannot honour (a partition not assigned, an offset out of range) gets a
 * non-fatal error frame and changes nothing. Thread safety: thread-safe.
 */
final class ConsumeConnection implements ConsumeSession.Sink {

    private static final byte[] FRAME_START = "{\"type\":\"records\",\"records\":[".getBytes();
    private static final byte[] FRAME_END = "]}".getBytes();
    private static final int RETAINED_BUFFER_BYTES = 64 * 1024;

    private final Outbox out;
    private final ConsumeService consume;
    private final JsonMapper mapper;
    private final RecordJsonWriter records;
    private final JsonByteWriter frame = new JsonByteWriter(16 * 1024);
    private final int maxFrameBytes;
    private volatile ConsumeSession session;
    private volatile GroupMembership membership;

    ConsumeConnection(Outbox out, ConsumeService consume, JsonMapper mapper, ConsumeRequest request, int maxFrameBytes) {
        this.out = out;
        this.maxFrameBytes = maxFrameBytes;
        this.consume = consume;
        this.mapper = mapper;
        this.records = new RecordJsonWriter(request.keyFormat(), request.valueFormat());
    }

    void attach(ConsumeSession session) {
        this.session = session;
    }

    /** Makes the connection a consumer-group member: it then takes commit frames. */
    void attach(GroupMembership member) {
        this.membership = member;
    }

    /**
     * Writes the chunk as records frames of at most {@code maxFrameBytes} each (a single larger
     * record goes alone), back to back; the stage completes when the last one has been written.
     */
    @Override
    public CompletionStage<?> deliver(ConsumeSession.Chunk chunk) {
        List<DataBuffer> frames = new ArrayList<>();
        frame.reset();
        frame.raw(FRAME_START);
        int inFrame = 0;
        for (ConsumeSession.PartitionRecords partition : chunk.partitions()) {
            TopicPartition tp = partition.topicPartition();
            for (Record record : partition.records()) {
                int mark = frame.size();
                if (inFrame > 0) {
                    frame.raw((byte) ',');
                }
                records.write(frame, tp, record);
                if (inFrame > 0 && frame.size() + FRAME_END.length > maxFrameBytes) {
                    frame.truncate(mark);
                    frames.add(endFrame());
                    records.write(frame, tp, record);
                    inFrame = 0;
                }
                inFrame++;
            }
        }
        frames.add(endFrame());
        if (frame.array().length > RETAINED_BUFFER_BYTES && chunk.payloadBytes() < RETAINED_BUFFER_BYTES / 8) {
            frame.trim(RETAINED_BUFFER_BYTES);
        }
        return out.send(frames);
    }

    /** Ends the frame being written, copies it out, and starts the next one. */
    private DataBuffer endFrame() {
        frame.raw(FRAME_END);
        DataBuffer written = out.frame(frame.array(), frame.size());
        frame.reset();
        frame.raw(FRAME_START);
        return written;
    }

    @Override
    public void failed(TributaryException error) {
        fatal(error, ErrorFrames.closeStatus(error.code()));
    }

    @Override
    public void positionReset(TopicPartition tp, long resetTo, OffsetOutOfRangeException cause) {
        out.send(ErrorFrames.positionReset(tp, resetTo, cause));
    }

    /** The connection ended: stop the session. */
    void close() {
        ConsumeSession s = session;
        if (s != null) {
            s.close();
        }
    }

    void fatal(TributaryException error, CloseStatus status) {
        ConsumeSession s = session;
        if (s != null) {
            s.close();
        }
        out.send(ErrorFrames.error(error, true, null));
        out.close(status);
    }

    private void refuse(TributaryException error) {
        out.send(ErrorFrames.error(error, false, null));
    }

    /** Applies one client frame; seeks resolve offsets off the event loop, so frames apply in order. */
    Mono<Void> onMessage(WebSocketMessage message) {
        if (message.getType() != WebSocketMessage.Type.TEXT) {
            if (message.getType() == WebSocketMessage.Type.BINARY) {
                fatal(invalid("Control frames are JSON text; binary frames are not accepted"), ErrorFrames.UNSUPPORTED_DATA);
            }
            return Mono.empty();
        }
        JsonNode frame;
        try {
            frame = mapper.readTree(message.getPayloadAsText());
        } catch (JacksonException e) {
            fatal(invalid("A control frame is not JSON: " + e.getOriginalMessage()), ErrorFrames.UNSUPPORTED_DATA);
            return Mono.empty();
        }
        try {
            return apply(frame);
        } catch (TributaryException e) {
            fatal(e, ErrorFrames.closeStatus(e.code()));
            return Mono.empty();
        }
    }

    private Mono<Void> apply(JsonNode frame) {
        if (frame == null || !frame.isObject()) {
            throw invalid("A control frame must be a JSON object");
        }
        String type = frame.path("type").isString() ? frame.path("type").asString() : null;
        ConsumeSession s = session;
        switch (type == null ? "" : type) {
            case "seek" -> {
                return seek(s, frame);
            }
            case "pause" -> {
                List<TopicPartition> partitions = partitions(frame);
                nonFatal(() -> s.pause(partitions));
            }
            case "resume" -> {
                List<TopicPartition> partitions = partitions(frame);
                nonFatal(() -> s.resume(partitions));
            }
            case "credit" -> {
                Long messages = nonNegative(frame, "messages");
                Long bytes = nonNegative(frame, "bytes");
                if (messages == null && bytes == null) {
                    throw invalid("A credit frame grants 'messages' and/or 'bytes'");
                }
                s.addCredit(messages, bytes);
            }
            case "commit" -> {
                GroupMembership member = membership;
                if (member == null) {
                    throw invalid("Commit frames need a group member: connect with ?group=");
                }
                JsonNode id = frame.get("id");
                member.commit(frame, id == null ? null : mapper.writeValueAsBytes(id));
            }
            default -> throw invalid("Unknown control frame type '" + type
                    + "': use seek, pause, resume, credit or (group members) commit");
        }
        return Mono.empty();
    }

    private Mono<Void> seek(ConsumeSession s, JsonNode frame) {
        TopicPartition tp = topicPartition(frame);
        if (tp == null || !frame.path("partition").isIntegralNumber()) {
            throw invalid("A seek frame needs 'topic' and 'partition'");
        }
        StartPosition target;
        if (frame.has("offset")) {
            Long offset = nonNegative(frame, "offset");
            target = StartPosition.offset(offset == null ? -1 : offset);
        } else if (frame.path("from").isString()) {
            target = StartPosition.parse(frame.path("from").asString(), null);
        } else {
            throw invalid("A seek frame needs 'offset' or 'from'");
        }
        if (!s.isAssigned(tp)) {
            refuse(invalid(tp + " is not assigned to this consumer"));
            return Mono.empty();
        }
        return Mono.fromRunnable(() -> nonFatal(() -> s.seek(tp, consume.resolve(tp, target))))
                .subscribeOn(LogIoScheduler.get())
                .onErrorResume(e -> {
                    TributaryException error = ErrorFrames.asTributary(e);
                    fatal(error, ErrorFrames.closeStatus(error.code()));
                    return Mono.empty();
                })
                .then();
    }

    /** Runs a request whose refusal leaves the connection open. */
    private void nonFatal(Runnable action) {
        try {
            action.run();
        } catch (TributaryException e) {
            if (e.code() == ErrorCode.OFFSET_OUT_OF_RANGE || e.code() == ErrorCode.INVALID_REQUEST) {
                refuse(e);
            } else {
                throw e;
            }
        }
    }

    /** The partitions a pause or resume names: one, every assigned one of a topic, or (empty) all. */
    private List<TopicPartition> partitions(JsonNode frame) {
        if (!frame.has("topic")) {
            return List.of();
        }
        TopicPartition one = topicPartition(frame);
        if (one == null) {
            throw invalid("'topic' must be a string");
        }
        if (frame.has("partition")) {
            if (!frame.path("partition").isIntegralNumber()) {
                throw invalid("'partition' must be a whole number");
            }
            return List.of(one);
        }
        List<TopicPartition> ofTopic = session.positions().keySet().stream()
                .filter(tp -> tp.topic().equals(one.topic())).toList();
        // None assigned: name partition 0, which the session refuses as not assigned (not fatal).
        return ofTopic.isEmpty() ? List.of(one) : ofTopic;
    }

    private static TopicPartition topicPartition(JsonNode frame) {
        JsonNode topic = frame.path("topic");
        if (!topic.isString()) {
            return null;
        }
        JsonNode partition = frame.path("partition");
        int p = partition.isIntegralNumber() && partition.canConvertToInt() ? partition.asInt() : 0;
        if (p < 0) {
            throw invalid("'partition' must not be negative");
        }
        return new TopicPartition(topic.asString(), p);
    }

    private static Long nonNegative(JsonNode frame, String field) {
        JsonNode node = frame.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw invalid("'" + field + "' must be a whole number, at least 0");
        }
        return node.asLong();
    }

    private static TributaryException invalid(String detail) {
        return new TributaryException(ErrorCode.INVALID_REQUEST, detail);
    }
}
