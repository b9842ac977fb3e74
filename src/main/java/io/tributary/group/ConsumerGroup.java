package io.tributary.group;

import io.tributary.common.TopicPartition;
import io.tributary.group.assignor.PartitionAssignor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A consumer group's membership state: its state machine position, generation, assignor,
 * members and the target assignment of the rebalance in progress (or the last one).
 *
 * <p>Invariant: the generation only grows; {@link #transitionTo} checks every state change
 * against {@link GroupState}. Not thread-safe: callers hold the group's monitor
 * ({@code synchronized (group)}), which also orders every call the coordinator makes to the
 * members' listeners.
 */
final class ConsumerGroup {

    private final String id;
    private GroupState state = GroupState.EMPTY;
    private int generation;
    private PartitionAssignor assignor;
    private final Map<String, GroupMember> members = new TreeMap<>();
    private final Map<String, String> memberByToken = new HashMap<>();
    private Map<String, List<TopicPartition>> target = Map.of();
    private Map<String, Integer> partitionCounts = Map.of();
    private long rebalanceDeadlineMs;
    private int pendingAdminWrites;

    ConsumerGroup(String id, PartitionAssignor defaultAssignor) {
        this.id = id;
        this.assignor = defaultAssignor;
    }

    String id() {
        return id;
    }

    GroupState state() {
        return state;
    }

    void transitionTo(GroupState next) {
        state = state.checkTransition(next);
    }

    int generation() {
        return generation;
    }

    int nextGeneration() {
        return ++generation;
    }

    PartitionAssignor assignor() {
        return assignor;
    }

    void assignor(PartitionAssignor chosen) {
        assignor = chosen;
    }

    Map<String, GroupMember> members() {
        return members;
    }

    Optional<GroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    Optional<GroupMember> memberByToken(String token) {
        String id = token == null ? null : memberByToken.get(token);
        return id == null ? Optional.empty() : member(id);
    }

    void add(GroupMember member) {
        members.put(member.id(), member);
        memberByToken.put(member.token(), member.id());
    }

    void remove(GroupMember member) {
        members.remove(member.id());
        memberByToken.remove(member.token());
    }

    Map<String, List<TopicPartition>> target() {
        return target;
    }

    void target(Map<String, List<TopicPartition>> newTarget, Map<String, Integer> counts, long deadlineMs) {
        target = newTarget;
        partitionCounts = counts;
        rebalanceDeadlineMs = deadlineMs;
    }

    Map<String, Integer> partitionCounts() {
        return partitionCounts;
    }

    long rebalanceDeadlineMs() {
        return rebalanceDeadlineMs;
    }

    boolean adminWriteInProgress() {
        return pendingAdminWrites > 0;
    }

    void adminWrite(int delta) {
        pendingAdminWrites += delta;
    }
}
