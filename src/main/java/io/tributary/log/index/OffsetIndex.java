package io.tributary.log.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A sparse map from offsets to byte positions in one segment's {@code .log} file. An entry
 * {@code (offset, position)} says: the batch that starts at byte {@code position} has last offset
 * {@code offset}. To find an offset, look up the last entry at or below it and scan batch headers
 * forward from its position. One entry is added roughly every {@code index.interval.bytes} of log.
 *
 * <p>File format ({@code <baseOffset>.index}), a flat array of 8-byte big-endian entries:
 * <pre>
 * | field           | type  | offset |
 * | relative offset | int32 | 0      |  offset - segment base offset
 * | position        | int32 | 4      |  byte position of the batch in the .log file
 * </pre>
 * Invariants: relative offsets strictly increase, positions never decrease.
 *
 * <p>Thread safety: reads thread-safe, single writer (the partition's writer).
 */
public final class OffsetIndex {

    public static final int ENTRY_SIZE = 8;

    private final long baseOffset;
    private final SparseIndex entries;

    private OffsetIndex(Path file, long baseOffset) {
        this.baseOffset = baseOffset;
        this.entries = new SparseIndex(file, ENTRY_SIZE, 0) {
            @Override
            void writeEntry(ByteBuffer buffer, long key, long value) {
                buffer.putInt((int) key);
                buffer.putInt((int) value);
            }

            @Override
            void readEntry(ByteBuffer buffer, long[] out) {
                out[0] = buffer.getInt();
                out[1] = buffer.getInt();
            }
        };
    }

    /** A new, empty index for a segment at {@code baseOffset}; nothing is written until a flush. */
    public static OffsetIndex empty(Path file, long baseOffset) {
        return new OffsetIndex(file, baseOffset);
    }

    /** Loads the index from its file, or throws {@link CorruptIndexException} if it is unusable. */
    public static OffsetIndex load(Path file, long baseOffset) throws IOException {
        OffsetIndex index = new OffsetIndex(file, baseOffset);
        index.entries.loadFromFile();
        return index;
    }

    /** Records that the batch at {@code position} ends at {@code lastOffset}. */
    public void append(long lastOffset, int position) {
        long relative = lastOffset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + lastOffset + " does not fit segment " + baseOffset);
        }
        if (position < entries.lastValue(0)) {
            throw new IllegalArgumentException("Position " + position + " is before the last indexed position");
        }
        entries.appendEntry(relative, position);
    }

    /**
     * The last entry whose offset is at most {@code targetOffset}, or {@code (baseOffset - 1, 0)}
     * (scan from the start of the file) when there is none.
     */
    public OffsetPosition lookup(long targetOffset) {
        long[] entry = entries.floorEntry(targetOffset - baseOffset);
        return entry == null ? new OffsetPosition(baseOffset - 1, 0) : new OffsetPosition(baseOffset + entry[0], (int) entry[1]);
    }

    /** The last entry, or {@code (baseOffset - 1, 0)} when empty. */
    public OffsetPosition lastEntry() {
        return entries.entries() == 0
                ? new OffsetPosition(baseOffset - 1, 0)
                : new OffsetPosition(baseOffset + entries.lastKey(0), (int) entries.lastValue(0));
    }

    /** Removes entries for batches starting at or after {@code position}. */
    public void truncateToPosition(int position) throws IOException {
        entries.truncateFromValue(position);
    }

    public int entries() {
        return entries.entries();
    }

    public long baseOffset() {
        return baseOffset;
    }

    /**
     * An entry at or beyond the end of a segment of {@code segmentSize} bytes makes the index
     * corrupt: every entry is the position of a batch, so it lies below the size.
     */
    public void sanityCheck(long segmentSize) throws CorruptIndexException {
        if (entries.entries() > 0 && entries.lastValue(0) >= segmentSize) {
            throw new CorruptIndexException("Index " + entries.file() + " points at position "
                    + entries.lastValue(0) + " beyond the segment's " + segmentSize + " bytes");
        }
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
