package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.Set;

/**
 * A member's partitions in a generation. {@code partitions} holds every partition the member owns
 * with the offset to read next: for {@code gained} partitions the start offset (the committed
 * offset, else the member's {@code autoOffsetReset}); for partitions it kept, the position the
 * coordinator last knew (a transport that tracks its own positions keeps those).
 */
public record MemberAssignment(String memberId, int generation, Map<TopicPartition, Long> partitions,
                               Set<TopicPartition> gained) {

    public MemberAssignment {
        partitions = Map.copyOf(partitions);
        gained = Set.copyOf(gained);
    }

    /** A member with no partitions waits for one to free up. */
    public boolean idle() {
        return partitions.isEmpty();
    }
}
