package io.tributary.replication;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;

import java.util.List;

/**
 * The messages brokers exchange on the replication channel, as plain records. Their byte layout
 * is in {@link ReplicationCodec}. {@code error} fields hold an {@link io.tributary.common.ErrorCode}
 * name, {@link #DIVERGING_EPOCH}, or the empty string for success.
 */
public final class ReplicationMessages {

    /** A follower's log ends in a leader epoch that the leader's log does not end at the same place. */
    public static final String DIVERGING_EPOCH = "DIVERGING_EPOCH";
    /** The replica id of a fetch that is not a follower's (a forwarded consumer fetch: read below the high watermark). */
    public static final int CONSUMER_REPLICA_ID = -1;

    private ReplicationMessages() {
    }

    /** The exception an error answer stands for (an unknown code becomes {@code UNKNOWN_SERVER_ERROR}). */
    public static io.tributary.common.TributaryException toException(String error, String message) {
        io.tributary.common.ErrorCode code;
        try {
            code = io.tributary.common.ErrorCode.valueOf(error);
        } catch (IllegalArgumentException e) {
            code = io.tributary.common.ErrorCode.UNKNOWN_SERVER_ERROR;
        }
        return new io.tributary.common.TributaryException(code, message);
    }

    /** One partition of a fetch: where to read from and the epoch of the last batch the fetcher holds. */
    public record FetchPartition(TopicPartition tp, long fetchOffset, int lastFetchedEpoch) {
    }

    /** FETCH: records from several partitions of one leader; waits up to {@code maxWaitMs} when there are none. */
    public record FetchRequest(int replicaId, int maxWaitMs, int maxBytes, List<FetchPartition> partitions) {
    }

    /** One partition of a fetch response: raw batches exactly as in the leader's log, and its bounds. */
    public record PartitionData(TopicPartition tp, String error, long highWatermark, long logStartOffset,
                                long logEndOffset, MemoryRecords records) {
        public boolean ok() {
            return error.isEmpty();
        }
    }

    public record FetchResponse(List<PartitionData> partitions) {
    }

    /** OFFSETS_FOR_LEADER_EPOCH: where does {@code epoch} end in the leader's log. */
    public record EpochRequest(TopicPartition tp, int epoch) {
    }

    public record EpochResponse(String error, int epoch, long endOffset) {
    }

    /** PRODUCE: encoded batches forwarded to the partition's leader. */
    public record ProduceRequest(TopicPartition tp, Acks acks, MemoryRecords records) {
    }

    /** What the leader's append did, or why it failed ({@code message} then explains). */
    public record ProduceResponse(String error, String message, long firstOffset, long lastOffset, long logAppendTime,
                                  int records) {
    }

    /** LIST_OFFSETS: log start, high watermark, and the first offset at or after {@code timestamp} (-1: none asked). */
    public record OffsetsRequest(TopicPartition tp, long timestamp) {
    }

    /** {@code offsetForTimestamp} is -1 when none was asked or no record is that late. */
    public record OffsetsResponse(String error, String message, long logStartOffset, long highWatermark,
                                  long offsetForTimestamp) {
    }
}
