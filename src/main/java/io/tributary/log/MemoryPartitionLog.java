package io.tributary.log;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.BatchesSummary;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.TimestampType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A partition log held in memory: the reference implementation of the {@link PartitionLog}
 * contract, simple enough to be obviously right, and a stand-in where a test of a higher layer
 * needs a log but not files. Nothing survives the process. Thread safety: thread-safe (every
 * method synchronises on the log).
 */
public final class MemoryPartitionLog implements PartitionLog {

    private final TopicPartition tp;
    private final Time time;
    private final TreeMap<Long, RecordBatch> batches = new TreeMap<>();
    private final LeaderEpochCache epochs = LeaderEpochCache.inMemory();
    private LogConfig config;
    private long logStartOffset;
    private long logEndOffset;
    private long sizeInBytes;

    public MemoryPartitionLog(TopicPartition tp, LogConfig config, Time time) {
        this.tp = tp;
        this.config = config;
        this.time = time;
    }

    @Override
    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public synchronized CompletableFuture<AppendResult> append(MemoryRecords records, int leaderEpoch) {
        BatchesSummary summary = LogValidator.validate(tp, config, records, true);
        long now = time.milliseconds();
        long first = logEndOffset;
        long next = LogValidator.assignOffsets(records, first, leaderEpoch, config.timestampType(), now);
        store(records);
        boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        return CompletableFuture.completedFuture(
                new AppendResult(first, next - 1, logAppendTime ? now : -1, summary.records(), records.sizeInBytes()));
    }

    @Override
    public synchronized CompletableFuture<AppendResult> appendAsFollower(MemoryRecords records) {
        BatchesSummary summary = LogValidator.validate(tp, config, records, false);
        if (summary.firstOffset() < logEndOffset) {
            throw new io.tributary.common.TributaryException(io.tributary.common.ErrorCode.INVALID_RECORD,
                    "Replicated batch at offset " + summary.firstOffset() + " is below the log end " + logEndOffset);
        }
        store(records);
        return CompletableFuture.completedFuture(new AppendResult(summary.firstOffset(), summary.lastOffset(), -1,
                summary.records(), records.sizeInBytes()));
    }

    private void store(MemoryRecords records) {
        for (RecordBatch batch : records.batches()) {
            ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
            copy.put(batch.buffer()).flip();
            RecordBatch stored = RecordBatch.wrap(copy);
            batches.put(stored.baseOffset(), stored);
            epochs.assign(stored.partitionLeaderEpoch(), stored.baseOffset());
            logEndOffset = stored.lastOffset() + 1;
            sizeInBytes += stored.sizeInBytes();
        }
    }

    @Override
    public synchronized LogReadResult read(long offset, int maxBytes, long maxOffset) {
        if (offset < logStartOffset || offset > logEndOffset) {
            throw new OffsetOutOfRangeException(tp, offset, logStartOffset, logEndOffset);
        }
        List<RecordBatch> selected = new ArrayList<>();
        int bytes = 0;
        Long from = batches.floorKey(offset);
        for (RecordBatch batch : batches.tailMap(from == null ? offset : from, true).values()) {
            if (batch.lastOffset() < offset) {
                continue;
            }
            if (batch.lastOffset() >= maxOffset || (!selected.isEmpty() && bytes + batch.sizeInBytes() > maxBytes)) {
                break;
            }
            selected.add(batch);
            bytes += batch.sizeInBytes();
        }
        ByteBuffer out = ByteBuffer.allocate(bytes);
        selected.forEach(b -> out.put(b.buffer()));
        out.flip();
        return new LogReadResult(MemoryRecords.readableRecords(out), logStartOffset, logEndOffset);
    }

    @Override
    public synchronized Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        for (RecordBatch batch : batches.values()) {
            if (batch.maxTimestamp() < timestamp) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= timestamp) {
                    return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public synchronized long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public synchronized long recoveryPoint() {
        return logEndOffset;
    }

    @Override
    public synchronized void truncateTo(long offset) {
        if (offset >= logEndOffset) {
            return;
        }
        if (offset <= logStartOffset) {
            truncateFullyAndStartAt(offset);
            return;
        }
        while (!batches.isEmpty() && batches.lastEntry().getValue().lastOffset() >= offset) {
            Map.Entry<Long, RecordBatch> last = batches.pollLastEntry();
            sizeInBytes -= last.getValue().sizeInBytes();
        }
        logEndOffset = batches.isEmpty() ? logStartOffset : batches.lastEntry().getValue().lastOffset() + 1;
        epochs.truncateFromEnd(logEndOffset);
    }

    @Override
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    @Override
    public synchronized EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    @Override
    public synchronized void truncateFullyAndStartAt(long offset) {
        batches.clear();
        epochs.clear();
        sizeInBytes = 0;
        logStartOffset = offset;
        logEndOffset = offset;
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized LogConfig config() {
        return config;
    }

    @Override
    public synchronized void updateConfig(LogConfig config) {
        this.config = config;
    }

    @Override
    public synchronized long sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public int numberOfSegments() {
        return 1;
    }

    @Override
    public synchronized void delete() {
        truncateFullyAndStartAt(0);
    }

    @Override
    public void close() {
    }
}
