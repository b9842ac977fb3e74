package io.tributary.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a consumer group. Each constant says what it allows and where it may go next;
 * {@link #checkTransition} enforces that at every change.
 */
public enum GroupState {

    /**
     * No members. Committed offsets may exist; administrative resets are allowed only here.
     * Next: PREPARING_REBALANCE (a member joins), DEAD (the group is deleted or its offsets expire).
     */
    EMPTY,

    /**
     * Membership changed; the coordinator is collecting the members of the next generation. No
     * partitions are delivered under the old generation once a member has been told they are revoked.
     * Next: COMPLETING_REBALANCE (assignment computed), EMPTY (everyone left), DEAD.
     */
    PREPARING_REBALANCE,

    /**
     * A new generation and its assignment exist; members are being told what they gained.
     * Next: STABLE (every member acknowledged), PREPARING_REBALANCE (membership changed again), EMPTY, DEAD.
     */
    COMPLETING_REBALANCE,

    /**
     * Every member owns its partitions in the current generation; commits from it are accepted.
     * Next: PREPARING_REBALANCE (join, leave, session timeout, topic change), EMPTY, DEAD.
     */
    STABLE,

    /** The group is gone (deleted, or its coordinator moved away). Terminal. */
    DEAD;

    private Set<GroupState> next() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE, DEAD);
            case PREPARING_REBALANCE -> EnumSet.of(COMPLETING_REBALANCE, EMPTY, DEAD);
            case COMPLETING_REBALANCE -> EnumSet.of(STABLE, PREPARING_REBALANCE, EMPTY, DEAD);
            case STABLE -> EnumSet.of(PREPARING_REBALANCE, EMPTY, DEAD);
            case DEAD -> EnumSet.noneOf(GroupState.class);
        };
    }

    /** Whether the group may move from this state to {@code target}. */
    public boolean canTransitionTo(GroupState target) {
        return next().contains(target);
    }

    /** Returns {@code target}, or throws if the move is not allowed. */
    public GroupState checkTransition(GroupState target) {
        if (!canTransitionTo(target)) {
            throw new IllegalStateException("A group cannot go from " + this + " to " + target);
        }
        return target;
    }
}
