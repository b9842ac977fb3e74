package io.tributary.service;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;

/**
 * The routing seam: which broker leads a partition, and where to reach it. Requests for a
 * partition this broker leads are served here; others are forwarded to the leader. Answers come
 * from the local copy of cluster state, so they may lag a leader change by a moment; the leader
 * itself refuses with {@code NOT_LEADER} (retriable) when it no longer leads.
 * Thread safety: thread-safe.
 */
public final class PartitionRouter {

    /** Where a partition's leader is: its broker id, host, HTTP port and replication port. */
    public record Route(TopicPartition tp, int leaderId, boolean local, String host, int port, int replicationPort) {
    }

    private final ClusterMetadata cluster;

    public PartitionRouter(ClusterMetadata cluster) {
        this.cluster = cluster;
    }

    /** The route to {@code tp}'s leader; {@code LEADER_NOT_AVAILABLE} when it has none or it is not live. */
    public Route route(TopicPartition tp) {
        PartitionState state = cluster.partitionState(tp).orElseThrow(() -> new TributaryException(
                ErrorCode.LEADER_NOT_AVAILABLE, tp + " has no known state yet"));
        if (!state.hasLeader()) {
            throw new TributaryException(ErrorCode.LEADER_NOT_AVAILABLE, tp + " has no leader now");
        }
        BrokerInfo broker = cluster.liveBrokers().get(state.leader());
        if (broker == null) {
            throw new TributaryException(ErrorCode.LEADER_NOT_AVAILABLE, "The leader of " + tp + ", broker "
                    + state.leader() + ", is not live");
        }
        return new Route(tp, broker.id(), broker.id() == cluster.localBrokerId(), broker.host(), broker.port(),
                broker.replicationPort());
    }

    /** Whether this broker leads {@code tp} according to cluster state (true when the state is unknown). */
    public boolean isLocal(TopicPartition tp) {
        return cluster.partitionState(tp).map(s -> s.leader() == cluster.localBrokerId()).orElse(true);
    }
}
