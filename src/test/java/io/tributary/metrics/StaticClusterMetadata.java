package io.tributary.metrics;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.ClusterListener;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Cluster state a test sets directly: this broker is 1 and the controller; no writes. */
final class StaticClusterMetadata implements ClusterMetadata {

    private final Map<String, TopicDefinition> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
    volatile boolean controller = true;

    void put(TopicDefinition topic, Map<Integer, PartitionState> partitionStates) {
        topics.put(topic.name(), topic);
        partitionStates.forEach((p, s) -> states.put(new TopicPartition(topic.name(), p), s));
    }

    @Override
    public String clusterId() {
        return "test";
    }

    @Override
    public int localBrokerId() {
        return 1;
    }

    @Override
    public Optional<Integer> controllerId() {
        return controller ? Optional.of(1) : Optional.empty();
    }

    @Override
    public boolean isController() {
        return controller;
    }

    @Override
    public Map<Integer, BrokerInfo> liveBrokers() {
        return Map.of(1, new BrokerInfo(1, "127.0.0.1", 0, 0));
    }

    @Override
    public Map<String, TopicDefinition> topics() {
        return Map.copyOf(topics);
    }

    @Override
    public Optional<TopicDefinition> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public Optional<PartitionState> partitionState(TopicPartition tp) {
        return Optional.ofNullable(states.get(tp));
    }

    @Override
    public void createTopic(TopicDefinition definition, Map<Integer, PartitionState> initialStates) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void updateTopic(TopicDefinition definition, Map<Integer, PartitionState> newPartitionStates) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteTopic(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean compareAndSetPartitionState(TopicPartition tp, PartitionState expected, PartitionState next) {
        return false;
    }

    @Override
    public boolean sessionHealthy() {
        return true;
    }

    @Override
    public void addListener(ClusterListener listener) {
    }

    @Override
    public Set<Integer> shuttingDownBrokers() {
        return Set.of();
    }

    @Override
    public void announceShutdown() {
    }
}
