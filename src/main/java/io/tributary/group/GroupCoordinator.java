package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.Time;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.assignor.PartitionAssignor;
import io.tributary.group.assignor.RangeAssignor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer-group coordinator: membership, generations, rebalances and offset commits of the
 * groups this broker coordinates (see {@link CoordinatorPlacement}). Transport-neutral: a WebSocket
 * session and a REST member both join through {@link #join} with a {@link MemberListener}.
 *
 * <p>Membership lives here, in memory; committed offsets live in the {@link OffsetStore}. Each
 * group's state is guarded by its own monitor; different groups proceed in parallel. Time comes
 * from {@link Time} and expiry happens only in {@link #tick}, which the broker calls periodically
 * (tests call it after moving a fake clock).
 *
 * <p>Thread safety: thread-safe.
 */
public final class GroupCoordinator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
    private final OffsetStore store;
    private final LogOffsets offsets;
    private final CommitAuditLog audit;
    private final Time time;
    private final GroupSettings settings;
    private final Rebalancer rebalancer;

    public GroupCoordinator(OffsetStore store, LogOffsets offsets, CommitAuditLog audit, Time time, GroupSettings settings) {
        this.store = store;
        this.offsets = offsets;
        this.audit = audit;
        this.time = time;
        this.settings = settings;
        this.rebalancer = new Rebalancer(store, offsets, time, settings.rebalanceTimeoutMs());
    }

    /** Where {@code group} is coordinated. May block the first time (it creates the offsets topic). */
    public CoordinatorPlacement coordinatorFor(String group) {
        return store.coordinatorFor(validateGroupId(group));
    }

    void requireLocal(String group) {
        CoordinatorPlacement placement = coordinatorFor(group);
        if (!placement.local()) {
            throw new TributaryException(ErrorCode.NOT_COORDINATOR, "This broker does not coordinate group '" + group
                    + "' (offsets partition " + placement.partition() + ")");
        }
    }

    /**
     * Adds a member (or resumes one by its token) and rebalances. When no other member has to
     * release partitions first, the result already carries the member's assignment; otherwise the
     * assignment arrives through the listener.
     */
    public JoinResult join(String groupId, JoinRequest request) {
        requireLocal(groupId);
        validateTopics(request.topics());
        PartitionAssignor requested = request.assignor() == null ? null : PartitionAssignor.named(request.assignor());
        while (true) {
            ConsumerGroup group = groupOrCreate(groupId);
            synchronized (group) {
                if (group.state() == GroupState.DEAD) {
                    forget(group);
                    continue;
                }
                if (group.adminWriteInProgress()) {
                    throw new TributaryException(ErrorCode.REBALANCE_IN_PROGRESS, "The offsets of group '" + groupId
                            + "' are being reset or deleted; join again shortly");
                }
                GroupMember resumed = group.memberByToken(request.resumeToken()).orElse(null);
                if (resumed != null) {
                    return resumeLocked(group, resumed, request);
                }
                if (requested != null) {
                    if (group.members().isEmpty()) {
                        group.assignor(requested);
                    } else if (!requested.name().equals(group.assignor().name())) {
                        throw new TributaryException(ErrorCode.INVALID_REQUEST, "Group '" + groupId + "' uses the "
                                + group.assignor().name() + " assignor, not " + requested.name());
                    }
                }
                long timeout = request.sessionTimeoutMs() > 0 ? request.sessionTimeoutMs() : settings.sessionTimeoutMs();
                GroupMember member = new GroupMember(newId(), newId() + newId(), request, timeout, time.milliseconds());
                group.add(member);
                rebalancer.rebalanceLocked(group, "member " + member.id() + " joined");
                return new JoinResult(member.id(), member.token(), false, member.assignment(member.owned().keySet()));
            }
        }
    }

    private JoinResult resumeLocked(ConsumerGroup group, GroupMember member, JoinRequest request) {
        member.reconnect(request.listener(), request.clientAddress(), time.milliseconds());
        if (!member.topics().equals(Set.copyOf(request.topics()))) {
            member.topics(request.topics());
            rebalancer.rebalanceLocked(group, "member " + member.id() + " resumed with other topics");
        } else if (group.state() == GroupState.STABLE) {
            Map<TopicPartition, OffsetAndMetadata> committed = store.committed(group.id());
            member.owned().replaceAll((tp, position) -> {
                OffsetAndMetadata c = committed.get(tp);
                return c == null ? position : c.offset();
            });
            member.listener().onAssigned(member.assignment(member.owned().keySet()));
        }
        return new JoinResult(member.id(), member.token(), true, member.assignment(member.owned().keySet()));
    }

    /** The member leaves; its partitions go to the others. */
    public void leave(String groupId, String memberId, String token) {
        ConsumerGroup group = requireGroup(groupId);
        synchronized (group) {
            rebalancer.removeLocked(group, requireMemberLocked(group, memberId, token), null, null);
        }
    }

    /**
     * A session-bound member's connection ended without a leave: it keeps its partitions for the
     * resume grace period, then is removed. Delivery has stopped, so pending revocations are done.
     */
    public void disconnect(String groupId, String memberId, String token) {
        ConsumerGroup group = requireGroup(groupId);
        synchronized (group) {
            GroupMember member = requireMemberLocked(group, memberId, token);
            member.disconnected(time.milliseconds());
            if (!member.revoking().isEmpty()) {
                member.revoked(Set.copyOf(member.revoking()));
                rebalancer.maybeAssignLocked(group);
            }
        }
    }

    /** The member is alive (any request counts; this is for members with nothing else to say). */
    public MemberAssignment heartbeat(String groupId, String memberId, String token) {
        ConsumerGroup group = requireGroup(groupId);
        synchronized (group) {
            GroupMember member = requireMemberLocked(group, memberId, token);
            member.touch(time.milliseconds());
            return member.assignment(Set.of());
        }
    }

    /**
     * Commits offsets for partitions the member owns (or is releasing) in {@code generation}.
     * Refused with ILLEGAL_GENERATION when a partition is not the member's in that generation, and
     * nothing is written. The future completes once the offsets are durable.
     */
    public CompletableFuture<Void> commit(String groupId, String memberId, String token, int generation,
                                          List<PartitionCommit> commits, String clientAddress) {
        validateCommits(commits);
        ConsumerGroup group = requireGroup(groupId);
        String address;
        synchronized (group) {
            GroupMember member = requireMemberLocked(group, memberId, token);
            member.touch(time.milliseconds());
            for (PartitionCommit c : commits) {
                if (!member.mayCommit(c.partition(), generation)) {
                    throw new TributaryException(ErrorCode.ILLEGAL_GENERATION, generation != member.generation()
                            ? "Generation " + generation + " is stale: member " + memberId + " is in generation "
                                    + member.generation() + " and does not own " + c.partition() + " in " + generation
                            : "Partition " + c.partition() + " is not assigned to member " + memberId
                                    + " in generation " + generation);
                }
            }
            address = clientAddress != null ? clientAddress : member.clientAddress();
        }
        return write(groupId, memberId, address, generation, commits);
    }

    /** Writes commits and, once durable, records them in the audit trail. */
    CompletableFuture<Void> write(String groupId, String memberId, String address, int generation,
                                  List<PartitionCommit> commits) {
        long now = time.milliseconds();
        Map<TopicPartition, OffsetAndMetadata> offsetsToStore = new HashMap<>();
        List<CommitAudit> trail = new ArrayList<>(commits.size());
        for (PartitionCommit c : commits) {
            offsetsToStore.put(c.partition(), new OffsetAndMetadata(c.offset(), c.metadata(), now));
            trail.add(new CommitAudit(groupId, memberId, address, c.partition().topic(), c.partition().partition(),
                    c.offset(), generation, now));
        }
        return store.commit(groupId, offsetsToStore).thenRun(() -> audit.record(trail));
    }

    /** Removes expired members and members that missed the rebalance deadline; forgets empty groups. */
    public void tick() {
        long now = time.milliseconds();
        for (ConsumerGroup group : groups.values()) {
            synchronized (group) {
                for (GroupMember m : List.copyOf(group.members().values())) {
                    if (group.members().containsKey(m.id()) && m.expired(now, settings.resumeGraceMs())) {
                        rebalancer.removeLocked(group, m, ErrorCode.UNKNOWN_MEMBER_ID, m.sessionBound()
                                ? "The member did not resume within the grace period"
                                : "The member was silent for longer than its session timeout");
                    }
                }
                rebalancer.expireRevocationsLocked(group, now);
                if (group.state() == GroupState.EMPTY && !group.adminWriteInProgress()
                        && store.committed(group.id()).isEmpty()) {
                    group.transitionTo(GroupState.DEAD);
                    forget(group);
                }
            }
        }
    }

    /** A topic was created, grown or deleted: groups reading it whose partition count changed rebalance. */
    public void onTopicChanged(String topic) {
        int count = offsets.partitionCount(topic);
        for (ConsumerGroup group : groups.values()) {
            synchronized (group) {
                boolean subscribed = group.members().values().stream().anyMatch(m -> m.topics().contains(topic));
                if (subscribed && group.partitionCounts().getOrDefault(topic, 0) != count) {
                    rebalancer.rebalanceLocked(group, "topic " + topic + " now has " + count + " partitions");
                }
            }
        }
    }

    /** The member's partitions and positions now, and a future completed when they next change. */
    public record PollSnapshot(int generation, Map<TopicPartition, Long> positions, CompletableFuture<Void> change) {
    }

    /** Starts (or, with {@code started}, continues) a REST member's fetch; the member counts as alive until it ends. */
    PollSnapshot poll(String groupId, String memberId, String token, boolean started) {
        ConsumerGroup group = requireGroup(groupId);
        synchronized (group) {
            GroupMember member = requireMemberLocked(group, memberId, token);
            if (!started) {
                member.pollStarted(time.milliseconds());
            }
            return new PollSnapshot(member.generation(), Map.copyOf(member.owned()), member.nextChange());
        }
    }

    /**
     * Ends a fetch: of the partitions read from {@code from} positions, keeps those the member
     * still owns at the same position, moves their positions to {@code next}, and returns them.
     * Records of any other partition must not be delivered.
     */
    Set<TopicPartition> endPoll(String groupId, String memberId, Map<TopicPartition, Long> from,
                                Map<TopicPartition, Long> next) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return Set.of();
        }
        synchronized (group) {
            GroupMember member = group.member(memberId).orElse(null);
            if (member == null) {
                return Set.of();
            }
            member.pollEnded(time.milliseconds());
            Set<TopicPartition> accepted = new HashSet<>();
            next.forEach((tp, offset) -> {
                Long position = member.owned().get(tp);
                if (position != null && position.equals(from.get(tp))) {
                    member.owned().put(tp, offset);
                    accepted.add(tp);
                }
            });
            return accepted;
        }
    }

    /** Moves a position that fell outside the log (retention) to where the member's reset policy points. */
    void resetPosition(String groupId, String memberId, TopicPartition tp, long expected) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return;
        }
        synchronized (group) {
            group.member(memberId).ifPresent(m -> {
                Long position = m.owned().get(tp);
                if (position != null && position == expected) {
                    m.owned().put(tp, rebalancer.startOffset(null, m.resetPolicy(), tp));
                }
            });
        }
    }

    ConsumerGroup group(String groupId) {
        return groups.get(groupId);
    }

    ConsumerGroup groupOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ConsumerGroup(id, new RangeAssignor()));
    }

    void forget(ConsumerGroup group) {
        groups.remove(group.id(), group);
    }

    Collection<ConsumerGroup> groups() {
        return groups.values();
    }

    OffsetStore store() {
        return store;
    }

    LogOffsets offsets() {
        return offsets;
    }

    private ConsumerGroup requireGroup(String groupId) {
        requireLocal(groupId);
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            throw unknownMember(groupId);
        }
        return group;
    }

    private static GroupMember requireMemberLocked(ConsumerGroup group, String memberId, String token) {
        GroupMember member = group.member(memberId).orElseThrow(() -> unknownMember(group.id()));
        if (token == null || !token.equals(member.token())) {
            throw unknownMember(group.id());
        }
        return member;
    }

    private static TributaryException unknownMember(String groupId) {
        return new TributaryException(ErrorCode.UNKNOWN_MEMBER_ID, "No such member of group '" + groupId
                + "' (it left, expired, or its token is wrong): join again");
    }

    /** Group ids follow the topic-name alphabet: {@code [a-zA-Z0-9._-]}, 1 to 249 characters. */
    public static String validateGroupId(String group) {
        if (group == null || !TopicName.isValid(group)) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A group id needs 1 to 249 characters of "
                    + "[a-zA-Z0-9._-] and cannot be '.' or '..'");
        }
        return group;
    }

    private static void validateTopics(Set<String> topics) {
        if (topics.isEmpty()) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A member must read at least one topic");
        }
        for (String t : topics) {
            TopicName.validate(t);
            if (TopicName.isInternal(t)) {
                throw new TributaryException(ErrorCode.TOPIC_AUTHORIZATION_FAILED, "Internal topic '" + t
                        + "' cannot be read by a group");
            }
        }
    }

    static void validateCommits(List<PartitionCommit> commits) {
        if (commits.isEmpty()) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A commit needs at least one offset");
        }
        for (PartitionCommit c : commits) {
            if (c.offset() < 0) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "Offset for " + c.partition()
                        + " cannot be negative: " + c.offset());
            }
            if (c.metadata() != null && c.metadata().length() > OffsetAndMetadata.MAX_METADATA_LENGTH) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "Commit metadata is limited to "
                        + OffsetAndMetadata.MAX_METADATA_LENGTH + " characters");
            }
        }
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
