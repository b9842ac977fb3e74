package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How the coordinator talks to a member's transport (a WebSocket session, or the REST member
 * machinery). The coordinator calls these while it holds the group's lock, in the order the events
 * happen: implementations must return at once, must not block, and must not call back into the
 * coordinator from inside the call (do it asynchronously).
 *
 * <p>Exclusivity rests on {@link #onRevoked}: the coordinator hands a revoked partition to another
 * member only after the stage returned here has completed, so a transport completes it only once
 * it will deliver nothing more from those partitions. A transport whose connection has ended
 * completes every pending revocation at once.
 */
public interface MemberListener {

    /**
     * The member's assignment in a new generation (also sent to a member that resumes with its
     * token). Empty partitions: the member is idle until a later rebalance frees some.
     */
    void onAssigned(MemberAssignment assignment);

    /**
     * The member is about to lose {@code partitions}. Complete the stage when nothing more is
     * delivered from them; a member that does not complete it within the rebalance timeout is
     * removed from the group.
     */
    CompletionStage<Void> onRevoked(Set<TopicPartition> partitions);

    /** The coordinator removed the member (session timeout, rebalance timeout, group deleted). */
    void onRemoved(ErrorCode reason, String message);

    /** A listener for members whose deliveries the coordinator gates itself (REST): revocation is immediate. */
    MemberListener IMMEDIATE = new MemberListener() {
        @Override
        public void onAssigned(MemberAssignment assignment) {
        }

        @Override
        public CompletionStage<Void> onRevoked(Set<TopicPartition> partitions) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onRemoved(ErrorCode reason, String message) {
        }
    };
}
