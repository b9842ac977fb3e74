package io.tributary.service;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One read cycle of a {@link ConsumeSession}: whole batches from each claimed partition in turn,
 * until the byte budget is spent (at least one batch) or the credit runs out, keeping only records
 * at or after the partition's position and below the high watermark the source read under (a
 * partition led elsewhere is read from its leader; see {@link PartitionSources}). It
 * touches no session state; the session applies the result under its lock. Blocking (file reads):
 * run it off network threads. Not thread-safe; one per cycle.
 */
final class ChunkReader {

    record Claim(TopicPartition tp, long position) {
    }

    /**
     * What was read from one partition: records and the position after them; or, when there was
     * nothing to read, the high-watermark future to wait on ({@code idleUntil}); or, when the
     * position was outside the log, where it continues ({@code resetTo >= 0}).
     */
    record PartitionRead(List<Record> records, long nextOffset, long payloadBytes,
                         CompletableFuture<Void> idleUntil, long resetTo) {
    }

    record Reset(TopicPartition tp, long resetTo, OffsetOutOfRangeException cause) {
    }

    /** Per claim, in order: its read, or null when the budget ran out before it. */
    record Result(List<PartitionRead> partitions, List<Reset> resets, long readBytes) {
    }

    private final PartitionSources sources;
    private int readBudget;

    ChunkReader(PartitionSources sources, int maxBytes) {
        this.sources = sources;
        this.readBudget = maxBytes;
    }

    Result read(List<Claim> claims, long messageCredit, long byteCredit) {
        List<PartitionRead> reads = new ArrayList<>(Collections.nCopies(claims.size(), null));
        List<Reset> resets = new ArrayList<>(0);
        long messages = messageCredit;
        long bytes = byteCredit;
        long readBytes = 0;
        for (int i = 0; i < claims.size() && readBudget > 0 && messages > 0 && bytes > 0; i++) {
            Claim claim = claims.get(i);
            long position = claim.position();
            PartitionSource.Read read;
            try {
                read = sources.read(claim.tp(), position, readBudget);
            } catch (OffsetOutOfRangeException e) {
                long resetTo = position < e.logStartOffset() ? e.logStartOffset() : e.logEndOffset();
                resets.add(new Reset(claim.tp(), resetTo, e));
                reads.set(i, new PartitionRead(List.of(), position, 0, null, resetTo));
                continue;
            }
            if (read.isIdle()) {
                reads.set(i, idle(position, read.wakeUp()));
                continue;
            }
            long highWatermark = read.highWatermark();
            CompletableFuture<Void> advance = read.wakeUp();
            readBudget -= read.records().sizeInBytes();
            readBytes += read.records().sizeInBytes();
            List<Record> records = new ArrayList<>();
            long next = position;
            long payload = 0;
            boolean creditBlocked = false;
            outer:
            for (RecordBatch batch : read.records().batches()) {
                if (batch.nextOffset() <= position) {
                    continue;
                }
                for (Record record : batch) {
                    long offset = record.offset();
                    if (offset < position) {
                        continue;
                    }
                    long size = payloadBytes(record);
                    if (offset >= highWatermark) {
                        break outer;
                    }
                    if (messages == 0 || size > bytes) {
                        creditBlocked = true;
                        break outer;
                    }
                    records.add(record);
                    messages--;
                    bytes -= size;
                    payload += size;
                    next = offset + 1;
                }
                next = Math.max(next, Math.min(batch.nextOffset(), highWatermark));
            }
            if (records.isEmpty() && next == position) {
                // Out of credit: nothing to wait for but the next grant. Otherwise: the high watermark.
                reads.set(i, creditBlocked ? new PartitionRead(List.of(), position, 0, null, -1) : idle(position, advance));
            } else {
                reads.set(i, new PartitionRead(records, next, payload, null, -1));
            }
            if (creditBlocked) {
                break;
            }
        }
        return new Result(reads, resets, readBytes);
    }

    private static PartitionRead idle(long position, CompletableFuture<Void> advance) {
        return new PartitionRead(List.of(), position, 0, advance, -1);
    }

    /** The key-plus-value size of a record: what byte credit counts. */
    static long payloadBytes(Record record) {
        return Math.max(0, record.keySize()) + Math.max(0, record.valueSize());
    }
}
