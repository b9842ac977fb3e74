package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a consumer group as the coordinator sees it: its subscription, the partitions it
 * owns with the position to read next, the partitions it is giving up, and when it expires.
 *
 * <p>Invariants: {@code owned} and {@code revoking} never share a partition; each owned partition
 * records the generation it was (re)gained in ({@code ownedSince}); across a group, no partition is
 * owned or being revoked by two members (checked by the {@link Rebalancer}).
 *
 * <p>Not thread-safe: guarded by the lock of the {@link ConsumerGroup} it belongs to.
 */
final class GroupMember {

    private final String id;
    private final String token;
    private final boolean sessionBound;
    private final long sessionTimeoutMs;
    private final OffsetResetPolicy resetPolicy;
    private Set<String> topics;
    private String clientAddress;
    private MemberListener listener;
    private final Map<TopicPartition, Long> owned = new HashMap<>();
    private final Map<TopicPartition, Integer> ownedSince = new HashMap<>();
    private final Set<TopicPartition> revoking = new HashSet<>();
    private int generation;
    private long lastSeenMs;
    private long disconnectedAtMs = -1;
    private int activePolls;
    private CompletableFuture<Void> changed = new CompletableFuture<>();

    GroupMember(String id, String token, JoinRequest request, long sessionTimeoutMs, long nowMs) {
        this.id = id;
        this.token = token;
        this.sessionBound = request.sessionBound();
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.resetPolicy = request.autoOffsetReset() == null ? OffsetResetPolicy.LATEST : request.autoOffsetReset();
        this.topics = new TreeSet<>(request.topics());
        this.clientAddress = request.clientAddress();
        this.listener = request.listener() == null ? MemberListener.IMMEDIATE : request.listener();
        this.lastSeenMs = nowMs;
    }

    String id() {
        return id;
    }

    String token() {
        return token;
    }

    boolean sessionBound() {
        return sessionBound;
    }

    Set<String> topics() {
        return topics;
    }

    void topics(Set<String> newTopics) {
        topics = new TreeSet<>(newTopics);
    }

    OffsetResetPolicy resetPolicy() {
        return resetPolicy;
    }

    String clientAddress() {
        return clientAddress;
    }

    MemberListener listener() {
        return listener;
    }

    /** A resumed member's new connection. */
    void reconnect(MemberListener newListener, String address, long nowMs) {
        listener = newListener == null ? MemberListener.IMMEDIATE : newListener;
        clientAddress = address;
        disconnectedAtMs = -1;
        lastSeenMs = nowMs;
    }

    Map<TopicPartition, Long> owned() {
        return owned;
    }

    Set<TopicPartition> revoking() {
        return revoking;
    }

    int generation() {
        return generation;
    }

    /** Whether the member may commit {@code tp} with {@code commitGeneration}. */
    boolean mayCommit(TopicPartition tp, int commitGeneration) {
        Integer since = ownedSince.get(tp);
        return since != null && commitGeneration >= since && commitGeneration <= generation
                && (owned.containsKey(tp) || revoking.contains(tp));
    }

    /** Moves {@code lost} from owned to revoking. */
    void startRevoking(Set<TopicPartition> lost) {
        lost.forEach(owned::remove);
        revoking.addAll(lost);
        signalChange();
    }

    void revoked(Set<TopicPartition> partitions) {
        revoking.removeAll(partitions);
        ownedSince.keySet().removeIf(tp -> !owned.containsKey(tp) && !revoking.contains(tp));
    }

    /** The member enters {@code newGeneration} owning what it kept plus {@code gained} at their start offsets. */
    void assign(int newGeneration, Map<TopicPartition, Long> gained) {
        generation = newGeneration;
        owned.putAll(gained);
        gained.keySet().forEach(tp -> ownedSince.put(tp, newGeneration));
        signalChange();
    }

    MemberAssignment assignment(Set<TopicPartition> gained) {
        return new MemberAssignment(id, generation, owned, gained);
    }

    void touch(long nowMs) {
        lastSeenMs = nowMs;
    }

    void disconnected(long nowMs) {
        disconnectedAtMs = nowMs;
    }

    void pollStarted(long nowMs) {
        activePolls++;
        lastSeenMs = nowMs;
    }

    void pollEnded(long nowMs) {
        activePolls = Math.max(0, activePolls - 1);
        lastSeenMs = nowMs;
    }

    /**
     * Whether the member has expired at {@code nowMs}: a session-bound member only once it has been
     * disconnected for the grace period; any other member when silent (no request in progress)
     * for its session timeout.
     */
    boolean expired(long nowMs, long graceMs) {
        if (sessionBound) {
            return disconnectedAtMs >= 0 && nowMs - disconnectedAtMs >= graceMs;
        }
        return activePolls == 0 && nowMs - lastSeenMs >= sessionTimeoutMs;
    }

    /** Completed the next time the member's partitions change or it is removed (taken before checking). */
    CompletableFuture<Void> nextChange() {
        return changed;
    }

    void signalChange() {
        CompletableFuture<Void> fired = changed;
        changed = new CompletableFuture<>();
        fired.complete(null);
    }
}
