package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance protocol, which keeps every partition delivered to at most one member of a group.
 *
 * <ol>
 *   <li><b>Prepare</b> (membership or topics changed): the group goes to PREPARING_REBALANCE and the
 *       assignor computes the target assignment from the members' subscriptions, the partition
 *       counts and, for the sticky assignor, what each member owns now.</li>
 *   <li><b>Revoke</b>: each member loses at once the partitions it owns outside its target (they
 *       move to its {@code revoking} set: its fetches and positions stop, commits for them are
 *       still accepted) and its listener is asked to stop delivering them.</li>
 *   <li><b>Barrier</b>: the rebalance waits until no member is revoking anything. A member that has
 *       not confirmed by the rebalance deadline is removed, which starts the protocol over.</li>
 *   <li><b>Assign</b>: the group goes to COMPLETING_REBALANCE with a new generation; each member
 *       gains its target partitions it does not own yet, at the committed offset (else its
 *       {@code autoOffsetReset}), and every member is told its assignment; the group is STABLE.</li>
 * </ol>
 * A change during a rebalance restarts it from step 1; revocations already asked for still count.
 * Exclusivity follows: a partition is gained only when nobody owns it or is revoking it, which
 * {@link #assignLocked} checks and refuses to break.
 *
 * <p>Every method is called with the group's monitor held. Thread safety: stateless apart from its
 * collaborators, which are thread-safe.
 */
final class Rebalancer {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

    private final OffsetStore store;
    private final LogOffsets offsets;
    private final Time time;
    private final long rebalanceTimeoutMs;

    Rebalancer(OffsetStore store, LogOffsets offsets, Time time, long rebalanceTimeoutMs) {
        this.store = store;
        this.offsets = offsets;
        this.time = time;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    }

    /** Steps 1 and 2, then step 4 at once if nothing needs revoking. */
    void rebalanceLocked(ConsumerGroup group, String reason) {
        if (group.members().isEmpty()) {
            if (group.state() != GroupState.EMPTY) {
                group.transitionTo(GroupState.EMPTY);
                group.nextGeneration();
            }
            group.target(Map.of(), Map.of(), 0);
            return;
        }
        if (group.state() != GroupState.PREPARING_REBALANCE) {
            group.transitionTo(GroupState.PREPARING_REBALANCE);
        }
        LOG.debug("Rebalancing group {} ({})", group.id(), reason);
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        Map<String, List<TopicPartition>> current = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (GroupMember m : group.members().values()) {
            subscriptions.put(m.id(), m.topics());
            current.put(m.id(), new ArrayList<>(m.owned().keySet()));
            m.topics().forEach(t -> counts.computeIfAbsent(t, offsets::partitionCount));
        }
        Map<String, List<TopicPartition>> target = group.assignor().assign(subscriptions, counts, current);
        group.target(target, counts, time.milliseconds() + rebalanceTimeoutMs);
        Map<GroupMember, Set<TopicPartition>> lostBy = new HashMap<>();
        for (GroupMember m : group.members().values()) {
            Set<TopicPartition> lost = new HashSet<>(m.owned().keySet());
            target.getOrDefault(m.id(), List.of()).forEach(lost::remove);
            if (!lost.isEmpty()) {
                m.startRevoking(lost);
                lostBy.put(m, lost);
            }
        }
        for (Map.Entry<GroupMember, Set<TopicPartition>> e : lostBy.entrySet()) {
            GroupMember m = e.getKey();
            Set<TopicPartition> lost = e.getValue();
            CompletionStage<Void> done;
            try {
                done = m.listener().onRevoked(Set.copyOf(lost));
            } catch (RuntimeException ex) {
                LOG.warn("Member {} of group {} failed to take a revocation", m.id(), group.id(), ex);
                done = java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            done.whenComplete((ok, error) -> {
                synchronized (group) {
                    if (group.member(m.id()).orElse(null) == m) {
                        m.revoked(lost);
                        maybeAssignLocked(group);
                    }
                }
            });
        }
        maybeAssignLocked(group);
    }

    /** Step 4, if the barrier has been passed. */
    void maybeAssignLocked(ConsumerGroup group) {
        if (group.state() != GroupState.PREPARING_REBALANCE) {
            return;
        }
        for (GroupMember m : group.members().values()) {
            if (!m.revoking().isEmpty()) {
                return;
            }
        }
        assignLocked(group);
    }

    private void assignLocked(ConsumerGroup group) {
        group.transitionTo(GroupState.COMPLETING_REBALANCE);
        int generation = group.nextGeneration();
        Set<TopicPartition> taken = new HashSet<>();
        group.members().values().forEach(m -> taken.addAll(m.owned().keySet()));
        Map<TopicPartition, OffsetAndMetadata> committed = store.committed(group.id());
        List<Runnable> notifications = new ArrayList<>();
        for (GroupMember m : group.members().values()) {
            Map<TopicPartition, Long> gained = new HashMap<>();
            for (TopicPartition tp : group.target().getOrDefault(m.id(), List.of())) {
                if (m.owned().containsKey(tp)) {
                    continue;
                }
                if (!taken.add(tp)) {
                    throw new IllegalStateException("Exclusivity broken in group " + group.id() + ": " + tp
                            + " would go to " + m.id() + " while another member owns it");
                }
                gained.put(tp, startOffset(committed.get(tp), m.resetPolicy(), tp));
            }
            m.assign(generation, gained);
            MemberAssignment assignment = m.assignment(gained.keySet());
            notifications.add(() -> m.listener().onAssigned(assignment));
        }
        group.transitionTo(GroupState.STABLE);
        for (Runnable n : notifications) {
            try {
                n.run();
            } catch (RuntimeException e) {
                LOG.warn("A member listener of group {} failed on its assignment", group.id(), e);
            }
        }
    }

    /** The committed offset when it is inside the log, else where the member's reset policy points. */
    long startOffset(OffsetAndMetadata committed, OffsetResetPolicy policy, TopicPartition tp) {
        try {
            if (committed != null && committed.offset() >= offsets.logStartOffset(tp)
                    && committed.offset() <= offsets.highWatermark(tp)) {
                return committed.offset();
            }
            return policy.resolve(offsets, tp);
        } catch (TributaryException e) {
            LOG.warn("No offsets for {} ({}); starting at the committed offset or 0", tp, e.getMessage());
            return committed == null ? 0 : committed.offset();
        }
    }

    /** Removes a member; tells it why when {@code reason} is not null; rebalances the rest. */
    void removeLocked(ConsumerGroup group, GroupMember member, ErrorCode reason, String message) {
        group.remove(member);
        member.signalChange();
        if (reason != null) {
            try {
                member.listener().onRemoved(reason, message);
            } catch (RuntimeException e) {
                LOG.warn("A member listener of group {} failed on removal", group.id(), e);
            }
        }
        rebalanceLocked(group, "member " + member.id() + " left: " + (message == null ? "leave" : message));
    }

    /** Removes members that have not confirmed their revocations by the rebalance deadline. */
    void expireRevocationsLocked(ConsumerGroup group, long nowMs) {
        if (group.state() != GroupState.PREPARING_REBALANCE || nowMs < group.rebalanceDeadlineMs()) {
            return;
        }
        for (GroupMember m : List.copyOf(group.members().values())) {
            if (!m.revoking().isEmpty() && group.members().containsKey(m.id())) {
                LOG.info("Removing member {} of group {}: it did not release {} within the rebalance timeout",
                        m.id(), group.id(), m.revoking());
                removeLocked(group, m, ErrorCode.REBALANCE_IN_PROGRESS,
                        "The member did not release its partitions within the rebalance timeout");
            }
        }
    }
}
