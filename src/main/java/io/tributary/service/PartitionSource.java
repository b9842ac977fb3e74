package io.tributary.service;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.log.record.MemoryRecords;

import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link ConsumeSession} reads one partition: this broker's leader replica
 * ({@link LocalPartitionSource}) or the leader on another broker, over the replication channel
 * ({@link RemotePartitionSource}). Either way only committed records come back: batches below the
 * leader's high watermark. {@link PartitionSources} picks the source and replaces it when the
 * leadership moves.
 */
interface PartitionSource {

    /**
     * What a read found: whole batches from {@code position} (they may begin before it) and the high
     * watermark they were read under; or, when there is nothing to read now, {@code records} null
     * and {@code wakeUp} the future to wait on. {@code wakeUp} is, where known, also the future that
     * completes when more may be readable after {@code records}.
     */
    record Read(MemoryRecords records, long highWatermark, CompletableFuture<Void> wakeUp) {

        static Read idle(CompletableFuture<Void> wakeUp) {
            return new Read(null, -1, wakeUp);
        }

        boolean isIdle() {
            return records == null;
        }
    }

    /**
     * Reads about {@code maxBytes} from {@code position}. Does not wait for the network (a remote
     * source answers idle until its fetch is back) but may read files.
     *
     * @throws OffsetOutOfRangeException when {@code position} is outside the log; its end offset is
     *                                   the high watermark
     * @throws io.tributary.common.TributaryException when the source cannot serve any more
     *                                   (retriable codes: the leader moved or is out of reach)
     */
    Read read(long position, int maxBytes);

    /** Whether this source may still serve the partition (a local replica that still leads it). */
    boolean current();
}
