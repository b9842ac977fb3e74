package io.tributary.log.record;

import static io.tributary.log.record.RecordBatch.LENGTH_OFFSET;
import static io.tributary.log.record.RecordBatch.LOG_OVERHEAD;
import static io.tributary.log.record.RecordBatch.MIN_BATCH_LENGTH;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Zero or more record batches back to back in one buffer: a produce request, a fetch response, a
 * chunk read from a segment. Each batch is framed by its first {@link RecordBatch#LOG_OVERHEAD}
 * bytes (base offset, then the length of the rest), so the run is walked batch by batch without
 * decoding records.
 *
 * <p>The buffer may end inside a batch, as a fetch cut at a byte limit does: {@link #batches()},
 * {@link #records()} and {@link #validBytes()} cover the leading complete batches and stop quietly
 * at the first position where no complete batch can be framed (fewer than {@code LOG_OVERHEAD}
 * bytes left, a length field below {@link RecordBatch#MIN_BATCH_LENGTH}, or a batch running past
 * the end). They check framing only; {@link #validate()} checks everything and throws.
 *
 * <p>The view holds a slice of the caller's bytes (position 0) and never copies them. Reads are
 * thread-safe; batches handed out share the bytes, so their setters must not race with readers.
 */
public final class MemoryRecords {

    /** No batches, no bytes. */
    public static final MemoryRecords EMPTY = readableRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    private MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A view of the batches between the buffer's position and limit; the buffer is not moved. */
    public static MemoryRecords readableRecords(ByteBuffer buffer) {
        return new MemoryRecords(buffer.slice());
    }

    /** Same as {@link RecordBatchBuilder#withRecords(long, SimpleRecord...)}. */
    public static MemoryRecords withRecords(long baseOffset, SimpleRecord... records) {
        return RecordBatchBuilder.withRecords(baseOffset, records);
    }

    /**
     * The size of the batch starting at absolute index {@code position} of {@code buffer}, as its
     * length field says, whether or not the buffer holds all of it. The buffer is not moved.
     *
     * @return the size, or -1 when fewer than {@link RecordBatch#LOG_OVERHEAD} bytes lie between
     *     {@code position} and the limit, or the length field is below {@link
     *     RecordBatch#MIN_BATCH_LENGTH} or too large for an int size
     */
    public static int batchSizeAt(ByteBuffer buffer, int position) {
        if (position < 0 || position > buffer.limit() - LOG_OVERHEAD) {
            return -1;
        }
        int length = buffer.getInt(position + LENGTH_OFFSET);
        if (length < MIN_BATCH_LENGTH || length > Integer.MAX_VALUE - LOG_OVERHEAD) {
            return -1;
        }
        return LOG_OVERHEAD + length;
    }

    /** A duplicate of the bytes, position 0; it shares them. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    public int sizeInBytes() {
        return buffer.limit();
    }

    /**
     * The size of the first batch even when the buffer holds only part of it (so a fetch can tell a
     * client how much room one batch needs), or -1 as {@link #batchSizeAt(ByteBuffer, int)} says.
     */
    public int firstBatchSize() {
        return batchSizeAt(buffer, 0);
    }

    /** The bytes taken by the leading complete batches; framing only, CRCs are not checked. */
    public int validBytes() {
        int position = 0;
        int size;
        while ((size = completeBatchSizeAt(position)) != -1) {
            position += size;
        }
        return position;
    }

    private int completeBatchSizeAt(int position) {
        int size = batchSizeAt(buffer, position);
        return size != -1 && size <= buffer.limit() - position ? size : -1;
    }

    /** The leading complete batches, in order, each a view of these bytes; never throws. */
    public Iterable<RecordBatch> batches() {
        return BatchIterator::new;
    }

    /**
     * Every record of every batch of {@link #batches()}, in order.
     *
     * @throws CorruptRecordException from the iterator when a batch cannot be decoded
     */
    public Iterable<Record> records() {
        return RecordIterator::new;
    }

    /**
     * Checks that the buffer is nothing but valid batches and summarises them: every batch is
     * complete and passes {@link RecordBatch#ensureValid()}, its records decode, and their offsets
     * rise strictly within {@code [baseOffset, lastOffset]}. Offsets need not rise from one batch
     * to the next (a producer's batches all start at 0).
     *
     * @throws CorruptRecordException at the first invalid batch, with its byte position; a torn
     *     trailing batch is an error here
     */
    /**
     * Like {@link #validate()} but from batch headers only: every batch's framing and CRC are
     * checked, records are not decoded. The maximum timestamp is the headers' and its offset the
     * last offset of the batch carrying it (as Kafka does for v2 batches). For the append path,
     * where decoding every record would cost more than writing it.
     */
    public BatchesSummary validateHeaders() {
        int batches = 0;
        int records = 0;
        long firstOffset = -1L;
        long lastOffset = -1L;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1L;
        int position = 0;
        while (position < buffer.limit()) {
            RecordBatch batch = completeBatchAt(position);
            String reason = batch.invalidReason();
            if (reason != null) {
                throw corruptAt(position, reason);
            }
            if (batches++ == 0) {
                firstOffset = batch.baseOffset();
            }
            lastOffset = batch.lastOffset();
            records += batch.recordCount();
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.lastOffset();
            }
            position += batch.sizeInBytes();
        }
        return new BatchesSummary(batches, records, firstOffset, lastOffset, maxTimestamp, offsetOfMaxTimestamp);
    }

    public BatchesSummary validate() {
        Summary summary = new Summary();
        int position = 0;
        while (position < buffer.limit()) {
            RecordBatch batch = completeBatchAt(position);
            String reason = batch.invalidReason();
            if (reason != null) {
                throw corruptAt(position, reason);
            }
            try {
                summary.add(batch);
            } catch (CorruptRecordException e) {
                throw corruptAt(position, e.getMessage());
            }
            position += batch.sizeInBytes();
        }
        return summary.toBatchesSummary();
    }

    private RecordBatch completeBatchAt(int position) {
        int remaining = buffer.limit() - position;
        if (remaining < LOG_OVERHEAD) {
            throw corruptAt(position, remaining + " trailing bytes are too few to frame a batch");
        }
        int size = batchSizeAt(buffer, position);
        if (size == -1) {
            throw corruptAt(position, "batch length " + buffer.getInt(position + LENGTH_OFFSET)
                    + " is not between " + MIN_BATCH_LENGTH + " and " + (Integer.MAX_VALUE - LOG_OVERHEAD));
        }
        if (size > remaining) {
            throw corruptAt(position, "batch of " + size + " bytes is cut off after " + remaining);
        }
        return RecordBatch.wrap(buffer.slice(position, size));
    }

    private static CorruptRecordException corruptAt(int position, String reason) {
        return new CorruptRecordException("Invalid record batch at byte position " + position + ": " + reason);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof MemoryRecords other && buffer.equals(other.buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecords(size=" + buffer.limit() + ", validBytes=" + validBytes() + ")";
    }

    /** Running totals for {@link #validate()}. */
    private static final class Summary {
        private int batches;
        private int records;
        private long firstOffset = -1L;
        private long lastOffset = -1L;
        private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        private long offsetOfMaxTimestamp = -1L;

        void add(RecordBatch batch) {
            long previousOffset = batch.baseOffset() - 1;
            for (Record record : batch) {
                if (record.offset() <= previousOffset || record.offset() > batch.lastOffset()) {
                    throw new CorruptRecordException("Record batch at base offset " + batch.baseOffset()
                            + " is corrupt: record offset " + record.offset() + " is not above "
                            + previousOffset + " and at most the last offset " + batch.lastOffset());
                }
                previousOffset = record.offset();
                if (record.timestamp() > maxTimestamp) {
                    maxTimestamp = record.timestamp();
                    offsetOfMaxTimestamp = record.offset();
                }
                records++;
            }
            if (batches++ == 0) {
                firstOffset = batch.baseOffset();
            }
            lastOffset = batch.lastOffset();
        }

        BatchesSummary toBatchesSummary() {
            return new BatchesSummary(batches, records, firstOffset, lastOffset, maxTimestamp,
                    offsetOfMaxTimestamp);
        }
    }

    /** Walks the leading complete batches. */
    private final class BatchIterator implements Iterator<RecordBatch> {
        private int position;

        @Override
        public boolean hasNext() {
            return completeBatchSizeAt(position) != -1;
        }

        @Override
        public RecordBatch next() {
            int size = completeBatchSizeAt(position);
            if (size == -1) {
                throw new NoSuchElementException();
            }
            RecordBatch batch = RecordBatch.wrap(buffer.slice(position, size));
            position += size;
            return batch;
        }
    }

    /** Walks the records of every batch {@link BatchIterator} yields. */
    private final class RecordIterator implements Iterator<Record> {
        private final Iterator<RecordBatch> batches = new BatchIterator();
        private Iterator<Record> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!batches.hasNext()) {
                    return false;
                }
                current = batches.next().iterator();
            }
            return true;
        }

        @Override
        public Record next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
