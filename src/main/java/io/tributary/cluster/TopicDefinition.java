package io.tributary.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as the cluster knows it: its partitions with their replica lists (the first replica is
 * the preferred leader), its replication factor and its config overrides (Kafka's names).
 */
public record TopicDefinition(String name, int replicationFactor, Map<String, String> configs,
                              Map<Integer, List<Integer>> assignment, long createdAtMs) {

    public TopicDefinition {
        configs = Map.copyOf(configs);
        TreeMap<Integer, List<Integer>> sorted = new TreeMap<>();
        assignment.forEach((p, replicas) -> sorted.put(p, List.copyOf(replicas)));
        assignment = java.util.Collections.unmodifiableMap(sorted);
    }

    public int partitions() {
        return assignment.size();
    }

    public List<Integer> replicas(int partition) {
        return assignment.getOrDefault(partition, List.of());
    }
}
