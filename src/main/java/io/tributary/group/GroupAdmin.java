package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.GroupDescription.MemberDescription;
import io.tributary.group.GroupDescription.MemberPartition;
import io.tributary.group.GroupDescription.PartitionLag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Views and administration of groups: listing, describing with lag, resetting offsets and deleting
 * a group. Resets and deletes are allowed only while the group has no members, and a join waits
 * (REBALANCE_IN_PROGRESS) while one is being written, so no member starts from offsets about to
 * change. Thread safety: thread-safe.
 */
public final class GroupAdmin {

    /** Where a reset moves a topic's offsets. */
    public enum ResetTarget {
        EARLIEST,
        LATEST,
        TIMESTAMP,
        OFFSETS;

        public static ResetTarget parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST,
                        "A reset goes to earliest, latest, timestamp or offsets, not '" + value + "'");
            }
        }
    }

    private static final Comparator<TopicPartition> ORDER = PartitionOrder.ORDER;

    private final GroupCoordinator coordinator;

    public GroupAdmin(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /**
     * Every group this broker coordinates now: with members, or with committed offsets. Groups it
     * coordinated before its offsets partition moved away are left to their new coordinator.
     */
    public List<GroupSummary> list() {
        Map<String, GroupSummary> result = new TreeMap<>();
        for (String id : coordinator.store().groups()) {
            if (coordinator.coordinatorFor(id).local()) {
                result.put(id, new GroupSummary(id, GroupState.EMPTY, 0, null, 0));
            }
        }
        for (ConsumerGroup group : coordinator.groups()) {
            if (!coordinator.coordinatorFor(group.id()).local()) {
                continue;
            }
            synchronized (group) {
                if (group.state() != GroupState.DEAD) {
                    result.put(group.id(), new GroupSummary(group.id(), group.state(), group.generation(),
                            group.assignor().name(), group.members().size()));
                }
            }
        }
        return List.copyOf(result.values());
    }

    public GroupDescription describe(String groupId) {
        coordinator.requireLocal(groupId);
        Map<TopicPartition, OffsetAndMetadata> committed = coordinator.store().committed(groupId);
        ConsumerGroup group = coordinator.group(groupId);
        if (group == null && committed.isEmpty()) {
            throw new TributaryException(ErrorCode.GROUP_NOT_FOUND, "Group '" + groupId + "' does not exist");
        }
        GroupState state = GroupState.EMPTY;
        int generation = 0;
        String assignor = null;
        List<MemberDescription> members = new ArrayList<>();
        Map<TopicPartition, String> ownerOf = new HashMap<>();
        TreeSet<TopicPartition> partitions = new TreeSet<>(ORDER);
        partitions.addAll(committed.keySet());
        if (group != null) {
            synchronized (group) {
                state = group.state();
                generation = group.generation();
                assignor = group.assignor().name();
                for (GroupMember m : group.members().values()) {
                    List<MemberPartition> owned = new ArrayList<>();
                    m.owned().entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(e -> {
                        owned.add(new MemberPartition(e.getKey().topic(), e.getKey().partition(), e.getValue()));
                        ownerOf.put(e.getKey(), m.id());
                    });
                    members.add(new MemberDescription(m.id(), m.clientAddress(), m.sessionBound(), m.topics(),
                            m.generation(), owned.isEmpty(), owned));
                    for (String topic : m.topics()) {
                        int count = coordinator.offsets().partitionCount(topic);
                        for (int p = 0; p < count; p++) {
                            partitions.add(new TopicPartition(topic, p));
                        }
                    }
                }
            }
        }
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long end = logEnd(tp);
            Long lag = c == null || end < 0 ? null : Math.max(0, end - c.offset());
            lags.add(new PartitionLag(tp.topic(), tp.partition(), c == null ? null : c.offset(), end, lag,
                    c == null ? null : c.metadata(), c == null ? null : c.commitTimestampMs(), ownerOf.get(tp)));
        }
        return new GroupDescription(groupId, state, generation, assignor, members, lags);
    }

    private long logEnd(TopicPartition tp) {
        try {
            return coordinator.offsets().highWatermark(tp);
        } catch (TributaryException e) {
            return -1;
        }
    }

    /**
     * Moves the group's offsets for {@code topic}: to the log start, the high watermark, the first
     * offset at or after {@code timestampMs}, or the {@code explicit} offsets per partition.
     * GROUP_NOT_EMPTY while the group has members. Returns the offsets written.
     */
    public CompletableFuture<Map<TopicPartition, Long>> resetOffsets(String groupId, String topic, ResetTarget target,
                                                                     Long timestampMs, Map<Integer, Long> explicit) {
        coordinator.requireLocal(groupId);
        LogOffsets offsets = coordinator.offsets();
        int count = offsets.partitionCount(topic);
        if (count == 0) {
            throw new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + topic + "' does not exist");
        }
        Map<TopicPartition, Long> chosen = new TreeMap<>(ORDER);
        if (target == ResetTarget.OFFSETS) {
            if (explicit == null || explicit.isEmpty()) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "A reset to offsets needs offsets per partition");
            }
            explicit.forEach((p, o) -> {
                if (p == null || p < 0 || p >= count) {
                    throw new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "Topic '" + topic + "' has " + count
                            + " partitions; there is no partition " + p);
                }
                if (o == null || o < 0) {
                    throw new TributaryException(ErrorCode.INVALID_REQUEST, "Offsets cannot be negative");
                }
                chosen.put(new TopicPartition(topic, p), o);
            });
        } else {
            if (target == ResetTarget.TIMESTAMP && (timestampMs == null || timestampMs < 0)) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "A reset to a timestamp needs timestampMs");
            }
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                chosen.put(tp, switch (target) {
                    case EARLIEST -> offsets.logStartOffset(tp);
                    case LATEST -> offsets.highWatermark(tp);
                    default -> offsets.offsetForTimestamp(tp, timestampMs);
                });
            }
        }
        List<PartitionCommit> commits = chosen.entrySet().stream()
                .map(e -> new PartitionCommit(e.getKey(), e.getValue(), null)).toList();
        ConsumerGroup group = lockForAdmin(groupId, "reset its offsets");
        return coordinator.write(groupId, null, null, -1, commits)
                .whenComplete((ok, error) -> releaseAdmin(group, false))
                .thenApply(ok -> Map.copyOf(chosen));
    }

    /** Deletes a group with no members and all its committed offsets. */
    public CompletableFuture<Void> delete(String groupId) {
        coordinator.requireLocal(groupId);
        if (coordinator.group(groupId) == null && coordinator.store().committed(groupId).isEmpty()) {
            throw new TributaryException(ErrorCode.GROUP_NOT_FOUND, "Group '" + groupId + "' does not exist");
        }
        ConsumerGroup group = lockForAdmin(groupId, "be deleted");
        return coordinator.store().deleteGroup(groupId).whenComplete((ok, error) -> releaseAdmin(group, error == null));
    }

    private ConsumerGroup lockForAdmin(String groupId, String action) {
        while (true) {
            ConsumerGroup group = coordinator.groupOrCreate(groupId);
            synchronized (group) {
                if (group.state() == GroupState.DEAD) {
                    coordinator.forget(group);
                    continue;
                }
                if (!group.members().isEmpty()) {
                    throw new TributaryException(ErrorCode.GROUP_NOT_EMPTY, "Group '" + groupId + "' has "
                            + group.members().size() + " member(s); it can " + action + " only when it has none");
                }
                if (group.adminWriteInProgress()) {
                    throw new TributaryException(ErrorCode.REBALANCE_IN_PROGRESS, "Group '" + groupId
                            + "' is being changed by another request");
                }
                group.adminWrite(1);
                return group;
            }
        }
    }

    private void releaseAdmin(ConsumerGroup group, boolean deleted) {
        synchronized (group) {
            group.adminWrite(-1);
            if (deleted) {
                group.transitionTo(GroupState.DEAD);
                coordinator.forget(group);
            }
        }
    }
}
