package io.tributary.log.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A sparse map from timestamps to offsets in one segment. An entry {@code (timestamp, offset)} says:
 * the largest timestamp among records up to and including {@code offset} is {@code timestamp}.
 * Entries are added only when that maximum grows, so timestamps strictly increase. To find the first
 * record at or after a time, look up the last entry strictly before it and scan forward from its
 * offset; when a segment becomes inactive its final maximum is added, so the last entry's
 * timestamp is the segment's largest timestamp.
 *
 * <p>File format ({@code <baseOffset>.timeindex}), a flat array of 12-byte big-endian entries:
 * <pre>
 * | field           | type  | offset |
 * | timestamp       | int64 | 0      |  milliseconds since the epoch
 * | relative offset | int32 | 8      |  offset - segment base offset
 * </pre>
 *
 * <p>Thread safety: reads thread-safe, single writer (the partition's writer).
 */
public final class TimeIndex {

    public static final int ENTRY_SIZE = 12;

    private final long baseOffset;
    private final SparseIndex entries;

    private TimeIndex(Path file, long baseOffset) {
        this.baseOffset = baseOffset;
        this.entries = new SparseIndex(file, ENTRY_SIZE, Long.MIN_VALUE) {
            @Override
            void writeEntry(ByteBuffer buffer, long key, long value) {
                buffer.putLong(key);
                buffer.putInt((int) value);
            }

            @Override
            void readEntry(ByteBuffer buffer, long[] out) {
                out[0] = buffer.getLong();
                out[1] = buffer.getInt();
            }
        };
    }

    public static TimeIndex empty(Path file, long baseOffset) {
        return new TimeIndex(file, baseOffset);
    }

    /** Loads the index from its file, or throws {@link CorruptIndexException} if it is unusable. */
    public static TimeIndex load(Path file, long baseOffset) throws IOException {
        TimeIndex index = new TimeIndex(file, baseOffset);
        index.entries.loadFromFile();
        return index;
    }

    /**
     * Records that by {@code offset} the largest timestamp is {@code timestamp}; ignored unless the
     * timestamp is larger than the last entry's (and the offset not smaller).
     */
    public void maybeAppend(long timestamp, long offset) {
        if (entries.entries() > 0 && (timestamp <= entries.lastKey(Long.MIN_VALUE)
                || offset - baseOffset < entries.lastValue(0))) {
            return;
        }
        entries.appendEntry(timestamp, offset - baseOffset);
    }

    /**
     * The last entry whose timestamp is strictly below {@code timestamp}, or
     * {@code (-1, baseOffset)} when there is none: records at or after {@code timestamp} can only
     * be after that entry's offset.
     */
    public TimestampOffset lookupBefore(long timestamp) {
        long[] entry = timestamp == Long.MIN_VALUE ? null : entries.floorEntry(timestamp - 1);
        return entry == null ? new TimestampOffset(-1, baseOffset) : new TimestampOffset(entry[0], baseOffset + entry[1]);
    }

    /** The last entry, or {@code (-1, baseOffset)} when empty. */
    public TimestampOffset lastEntry() {
        return entries.entries() == 0
                ? new TimestampOffset(-1, baseOffset)
                : new TimestampOffset(entries.lastKey(-1), baseOffset + entries.lastValue(0));
    }

    /** Removes entries for offsets at or above {@code offset}. */
    public void truncateToOffset(long offset) throws IOException {
        entries.truncateFromValue(offset - baseOffset);
    }

    public int entries() {
        return entries.entries();
    }

    public void flush() throws IOException {
        entries.flush();
    }

    public void reset() throws IOException {
        entries.reset();
    }

    public Path file() {
        return entries.file();
    }

    public void renameTo(Path target) throws IOException {
        entries.renameTo(target);
    }

    public void deleteFile() throws IOException {
        entries.deleteFile();
    }
}
