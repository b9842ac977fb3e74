package io.tributary.replication;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.replication.ReplicationMessages.EpochRequest;
import io.tributary.replication.ReplicationMessages.EpochResponse;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.OffsetsRequest;
import io.tributary.replication.ReplicationMessages.OffsetsResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;
import io.tributary.replication.ReplicationMessages.ProduceRequest;
import io.tributary.replication.ReplicationMessages.ProduceResponse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of the replication channel, big-endian. Every frame, request or response:
 * <pre>
 * offset  size  field
 * 0       4     frameLength    bytes after this field
 * 4       1     apiKey         FETCH=1, OFFSETS_FOR_LEADER_EPOCH=2, PRODUCE=3, LIST_OFFSETS=4
 * 5       4     correlationId  chosen by the client, echoed in the response
 * 9       ...   body           by apiKey and direction, below
 * </pre>
 * A {@code string} is an unsigned 16-bit byte length and UTF-8; {@code records} is a 32-bit
 * length and record batches exactly as they lie in the log (never decoded or re-encoded here).
 * <pre>
 * FETCH request         replicaId i32, maxWaitMs i32, maxBytes i32, count i32,
 *                       count x (topic string, partition i32, fetchOffset i64, lastFetchedEpoch i32)
 * FETCH response        count i32, count x (topic string, partition i32, error string,
 *                       highWatermark i64, logStartOffset i64, logEndOffset i64, records)
 * EPOCH request         topic string, partition i32, epoch i32
 * EPOCH response        error string, epoch i32, endOffset i64
 * PRODUCE request       topic string, partition i32, acks i8 (0, 1, -1 = all), records
 * PRODUCE response      error string, message string, firstOffset i64, lastOffset i64,
 *                       logAppendTime i64, recordCount i32
 * LIST_OFFSETS request  topic string, partition i32, timestamp i64 (-1: none)
 * LIST_OFFSETS response error string, message string, logStartOffset i64, highWatermark i64,
 *                       offsetForTimestamp i64
 * </pre>
 * There is no CRC at this level: TCP guards the frame, and every record batch carries its own
 * CRC-32C, which the follower's append checks. Thread safety: stateless.
 */
public final class ReplicationCodec {

    public static final byte FETCH = 1;
    public static final byte OFFSETS_FOR_LEADER_EPOCH = 2;
    public static final byte PRODUCE = 3;
    public static final byte LIST_OFFSETS = 4;

    static final int FRAME_LENGTH_OFFSET = 0;
    static final int FRAME_LENGTH_LENGTH = 4;
    static final int API_KEY_OFFSET = FRAME_LENGTH_OFFSET + FRAME_LENGTH_LENGTH;
    static final int API_KEY_LENGTH = 1;
    static final int CORRELATION_ID_OFFSET = API_KEY_OFFSET + API_KEY_LENGTH;
    static final int CORRELATION_ID_LENGTH = 4;
    static final int BODY_OFFSET = CORRELATION_ID_OFFSET + CORRELATION_ID_LENGTH;
    /** The largest frame accepted. */
    public static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

    private ReplicationCodec() {
    }

    /** A decoded frame without its length prefix: api key, correlation id, body. */
    public record Frame(byte apiKey, int correlationId, ByteBuffer body) {
        /** Parses a frame whose length prefix the transport has already removed. */
        public static Frame parse(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte key = b.get();
            int correlationId = b.getInt();
            return new Frame(key, correlationId, b.slice());
        }
    }

    /** A whole frame, length prefix included. */
    public static byte[] frame(byte apiKey, int correlationId, ByteBuffer body) {
        ByteBuffer out = ByteBuffer.allocate(BODY_OFFSET + body.remaining());
        out.putInt(API_KEY_LENGTH + CORRELATION_ID_LENGTH + body.remaining()).put(apiKey).putInt(correlationId).put(body);
        return out.array();
    }

    // FETCH

    public static ByteBuffer encode(FetchRequest r) {
        Writer w = new Writer().i32(r.replicaId()).i32(r.maxWaitMs()).i32(r.maxBytes()).i32(r.partitions().size());
        for (FetchPartition p : r.partitions()) {
            w.tp(p.tp()).i64(p.fetchOffset()).i32(p.lastFetchedEpoch());
        }
        return w.done();
    }

    public static FetchRequest fetchRequest(ByteBuffer b) {
        int replicaId = b.getInt();
        int maxWait = b.getInt();
        int maxBytes = b.getInt();
        int count = b.getInt();
        List<FetchPartition> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(new FetchPartition(tp(b), b.getLong(), b.getInt()));
        }
        return new FetchRequest(replicaId, maxWait, maxBytes, parts);
    }

    public static ByteBuffer encode(FetchResponse r) {
        Writer w = new Writer().i32(r.partitions().size());
        for (PartitionData p : r.partitions()) {
            w.tp(p.tp()).str(p.error()).i64(p.highWatermark()).i64(p.logStartOffset()).i64(p.logEndOffset())
                    .records(p.records());
        }
        return w.done();
    }

    public static FetchResponse fetchResponse(ByteBuffer b) {
        int count = b.getInt();
        List<PartitionData> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(new PartitionData(tp(b), str(b), b.getLong(), b.getLong(), b.getLong(), records(b)));
        }
        return new FetchResponse(parts);
    }

    // OFFSETS_FOR_LEADER_EPOCH

    public static ByteBuffer encode(EpochRequest r) {
        return new Writer().tp(r.tp()).i32(r.epoch()).done();
    }

    public static EpochRequest epochRequest(ByteBuffer b) {
        return new EpochRequest(tp(b), b.getInt());
    }

    public static ByteBuffer encode(EpochResponse r) {
        return new Writer().str(r.error()).i32(r.epoch()).i64(r.endOffset()).done();
    }

    public static EpochResponse epochResponse(ByteBuffer b) {
        return new EpochResponse(str(b), b.getInt(), b.getLong());
    }

    // PRODUCE

    public static ByteBuffer encode(ProduceRequest r) {
        byte acks = switch (r.acks()) {
            case NONE -> 0;
            case LEADER -> 1;
            case ALL -> -1;
        };
        return new Writer().tp(r.tp()).i8(acks).records(r.records()).done();
    }

    public static ProduceRequest produceRequest(ByteBuffer b) {
        TopicPartition tp = tp(b);
        byte acks = b.get();
        return new ProduceRequest(tp, acks == 0 ? Acks.NONE : acks == 1 ? Acks.LEADER : Acks.ALL, records(b));
    }

    public static ByteBuffer encode(ProduceResponse r) {
        return new Writer().str(r.error()).str(r.message()).i64(r.firstOffset()).i64(r.lastOffset())
                .i64(r.logAppendTime()).i32(r.records()).done();
    }

    public static ProduceResponse produceResponse(ByteBuffer b) {
        return new ProduceResponse(str(b), str(b), b.getLong(), b.getLong(), b.getLong(), b.getInt());
    }

    // LIST_OFFSETS

    public static ByteBuffer encode(OffsetsRequest r) {
        return new Writer().tp(r.tp()).i64(r.timestamp()).done();
    }

    public static OffsetsRequest offsetsRequest(ByteBuffer b) {
        return new OffsetsRequest(tp(b), b.getLong());
    }

    public static ByteBuffer encode(OffsetsResponse r) {
        return new Writer().str(r.error()).str(r.message()).i64(r.logStartOffset()).i64(r.highWatermark())
                .i64(r.offsetForTimestamp()).done();
    }

    public static OffsetsResponse offsetsResponse(ByteBuffer b) {
        return new OffsetsResponse(str(b), str(b), b.getLong(), b.getLong(), b.getLong());
    }

    // primitives

    private static TopicPartition tp(ByteBuffer b) {
        return new TopicPartition(str(b), b.getInt());
    }

    private static String str(ByteBuffer b) {
        int length = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static MemoryRecords records(ByteBuffer b) {
        int length = b.getInt();
        ByteBuffer slice = b.slice(b.position(), length);
        b.position(b.position() + length);
        return MemoryRecords.readableRecords(slice);
    }

    /** Appends fields to a growing buffer. */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(256);

        private Writer ensure(int bytes) {
            if (buf.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes));
                bigger.put(buf.flip());
                buf = bigger;
            }
            return this;
        }

        Writer i8(byte v) {
            ensure(1).buf.put(v);
            return this;
        }

        Writer i32(int v) {
            ensure(4).buf.putInt(v);
            return this;
        }

        Writer i64(long v) {
            ensure(8).buf.putLong(v);
            return this;
        }

        Writer str(String s) {
            byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            int length = Math.min(bytes.length, 0xffff);
            ensure(2 + length).buf.putShort((short) length).put(bytes, 0, length);
            return this;
        }

        Writer tp(TopicPartition tp) {
            return str(tp.topic()).i32(tp.partition());
        }

        Writer records(MemoryRecords records) {
            ByteBuffer bytes = records.buffer().duplicate();
            ensure(4 + bytes.remaining()).buf.putInt(bytes.remaining()).put(bytes);
            return this;
        }

        ByteBuffer done() {
            return buf.flip();
        }
    }
}
