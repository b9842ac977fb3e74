package io.tributary.service;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.ClusterMetadata;

import java.util.Comparator;
import java.util.List;

/** The cluster as this broker sees it: its id, the controller and the live brokers. */
public final class ClusterService {

    /** A live broker: its id and where to reach it. */
    public record Broker(int id, String host, int port, int replicationPort) {
    }

    /** The cluster's description. */
    public record ClusterView(String clusterId, Integer controllerId, int brokerId, List<Broker> brokers) {
    }

    private final ClusterMetadata cluster;

    public ClusterService(ClusterMetadata cluster) {
        this.cluster = cluster;
    }

    /** Whether this broker's coordination session is live and its view of the cluster current. */
    public boolean sessionHealthy() {
        return cluster.sessionHealthy();
    }

    public ClusterView describe() {
        return new ClusterView(cluster.clusterId(), cluster.controllerId().orElse(null), cluster.localBrokerId(),
                cluster.liveBrokers().values().stream()
                        .sorted(Comparator.comparingInt(BrokerInfo::id))
                        .map(b -> new Broker(b.id(), b.host(), b.port(), b.replicationPort()))
                        .toList());
    }
}
