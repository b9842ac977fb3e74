package io.tributary.cluster;

import java.util.List;

/**
 * The replicated state of one partition, kept in one znode and changed only by compare-and-set on
 * the znode's version: which broker leads it, in which leader epoch, and which replicas are in
 * sync. {@code version} is the znode version the state was read at (not stored in the znode).
 * A leader of -1 means the partition is offline.
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> isr, int version) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        isr = List.copyOf(isr);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    /** The next state in a new leader epoch. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr) {
        return new PartitionState(newLeader, leaderEpoch + 1, newIsr, version);
    }

    /** The same leader and epoch with a different in-sync set. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(leader, leaderEpoch, newIsr, version);
    }
}
