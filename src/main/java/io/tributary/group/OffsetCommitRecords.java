package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The record layout of committed offsets in {@code __consumer_offsets}. One record per
 * (group, topic, partition): the key identifies it, the value is the latest commit, and a record
 * with no value (a tombstone) deletes it. Compaction keeps the last record per key, so replaying a
 * partition from its start to its high watermark rebuilds every group's offsets.
 *
 * <p>Key, version 1 (big-endian, as Kafka's {@code OffsetCommitKey}):
 * <pre>
 * offset  field        type
 * 0       version      int16   = 1
 * 2       groupLength  int16   bytes of group
 * 4       group        UTF-8
 * 4+g     topicLength  int16   bytes of topic
 * 6+g     topic        UTF-8
 * 6+g+t   partition    int32
 * </pre>
 * Value, version 1:
 * <pre>
 * offset  field             type
 * 0       version           int16   = 1
 * 2       offset            int64   the next offset to read
 * 10      commitTimestamp   int64   epoch ms
 * 18      metadataLength    int16   -1: no metadata
 * 20      metadata          UTF-8
 * </pre>
 * The record batches carrying these records are CRC-checked like any other. Thread safety:
 * stateless.
 */
final class OffsetCommitRecords {

    static final short KEY_VERSION = 1;
    static final short VALUE_VERSION = 1;

    static final int KEY_VERSION_OFFSET = 0;
    static final int KEY_GROUP_OFFSET = KEY_VERSION_OFFSET + Short.BYTES;

    static final int VALUE_VERSION_OFFSET = 0;
    static final int VALUE_OFFSET_OFFSET = VALUE_VERSION_OFFSET + Short.BYTES;
    static final int VALUE_TIMESTAMP_OFFSET = VALUE_OFFSET_OFFSET + Long.BYTES;
    static final int VALUE_METADATA_OFFSET = VALUE_TIMESTAMP_OFFSET + Long.BYTES;

    /** A decoded key. */
    record Key(String group, TopicPartition partition) {
    }

    private OffsetCommitRecords() {
    }

    static byte[] key(String group, TopicPartition tp) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = tp.topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(KEY_GROUP_OFFSET + 2 + g.length + 2 + t.length + Integer.BYTES);
        buffer.putShort(KEY_VERSION).putShort((short) g.length).put(g).putShort((short) t.length).put(t)
                .putInt(tp.partition());
        return buffer.array();
    }

    static byte[] value(OffsetAndMetadata offset) {
        byte[] m = offset.metadata() == null ? null : offset.metadata().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(VALUE_METADATA_OFFSET + Short.BYTES + (m == null ? 0 : m.length));
        buffer.putShort(VALUE_VERSION).putLong(offset.offset()).putLong(offset.commitTimestampMs());
        if (m == null) {
            buffer.putShort((short) -1);
        } else {
            buffer.putShort((short) m.length).put(m);
        }
        return buffer.array();
    }

    /** The key, or null for a record that is not an offset commit of a version this broker reads. */
    static Key readKey(ByteBuffer key) {
        ByteBuffer b = key.duplicate();
        if (b.remaining() < KEY_GROUP_OFFSET || b.getShort() != KEY_VERSION) {
            return null;
        }
        String group = string(b);
        String topic = string(b);
        return new Key(group, new TopicPartition(topic, b.getInt()));
    }

    static OffsetAndMetadata readValue(ByteBuffer value) {
        ByteBuffer b = value.duplicate();
        short version = b.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown offset commit value version " + version);
        }
        long offset = b.getLong();
        long timestamp = b.getLong();
        return new OffsetAndMetadata(offset, string(b), timestamp);
    }

    private static String string(ByteBuffer b) {
        short length = b.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
