package io.tributary.log.record;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Decodes the records of one {@link RecordBatch}, one after another, from a private duplicate of
 * its bytes. It expects exactly {@link RecordBatch#recordCount()} records to fill the bytes after
 * the header: bytes running out before the last record, or left over after it, are a {@link
 * CorruptRecordException} from {@link #next()}, as is any malformed record. Not thread-safe; a
 * new iterator per pass.
 */
final class RecordBatchIterator implements Iterator<Record> {

    private final ByteBuffer records;
    private final long baseOffset;
    private final long baseTimestamp;
    private final Long logAppendTime;
    private final int count;
    private int read;

    /** {@code records} is positioned at the first record and limited to the end of the batch. */
    RecordBatchIterator(RecordBatch batch, ByteBuffer records) {
        this.records = records;
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : null;
        this.count = batch.recordCount();
    }

    @Override
    public boolean hasNext() {
        return read < count;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (!records.hasRemaining()) {
            throw corrupt("declares " + count + " records but its bytes end after " + read);
        }
        Record record;
        try {
            record = Record.readFrom(records, baseOffset, baseTimestamp, logAppendTime);
        } catch (CorruptRecordException e) {
            throw corrupt("record " + read + ": " + e.getMessage());
        }
        read++;
        if (read == count && records.hasRemaining()) {
            throw corrupt("declares " + count + " records but " + records.remaining()
                    + " bytes remain after the last one");
        }
        return record;
    }

    private CorruptRecordException corrupt(String detail) {
        return new CorruptRecordException("Record batch at base offset " + baseOffset + " is corrupt: " + detail);
    }
}
