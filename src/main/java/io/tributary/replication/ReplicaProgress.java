package io.tributary.replication;

/**
 * What a leader knows of one follower of a partition: the follower's log end offset (the offset
 * of its latest fetch) and when it was last caught up. A follower is caught up at time {@code t}
 * if it fetched, at {@code t}, from at or beyond the leader's log end, or it fetched from at or
 * beyond the log end the leader had at its previous fetch (so a follower that keeps pace with a
 * busy leader counts as caught up although the leader always has something newer), as Kafka's
 * {@code Replica.updateFetchState} does.
 *
 * <p>Not thread-safe: guarded by the owning {@link Partition}'s monitor.
 */
final class ReplicaProgress {

    private long logEndOffset = -1;
    private long lastCaughtUpTimeMs;
    private long lastFetchLeaderLogEndOffset = -1;
    private long lastFetchTimeMs;

    ReplicaProgress(long lastCaughtUpTimeMs) {
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    void onFetch(long fetchOffset, long leaderLogEndOffset, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset && lastFetchLeaderLogEndOffset >= 0) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
    }

    /** The follower's log end offset, or -1 until it has fetched from this leader. */
    long logEndOffset() {
        return logEndOffset;
    }

    long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }
}
