package io.tributary.group;

import java.util.List;
import java.util.Set;

/**
 * A group as administrators see it: its state machine position, generation and assignor, its
 * members with their partitions, and per partition the committed offset, the log end (high
 * watermark) and the lag between them.
 */
public record GroupDescription(String group, GroupState state, int generation, String assignor,
                               List<MemberDescription> members, List<PartitionLag> offsets) {

    /** A member and the partitions it owns, with the position it will read next. */
    public record MemberDescription(String memberId, String clientAddress, boolean sessionBound, Set<String> topics,
                                    int generation, boolean idle, List<MemberPartition> partitions) {
    }

    public record MemberPartition(String topic, int partition, long position) {
    }

    /**
     * One partition's offsets. {@code committedOffset} and {@code lag} are null when nothing is
     * committed; {@code logEndOffset} is -1 when this broker cannot see the partition.
     */
    public record PartitionLag(String topic, int partition, Long committedOffset, long logEndOffset, Long lag,
                               String metadata, Long commitTimestampMs, String memberId) {
    }
}
