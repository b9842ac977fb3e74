package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's range assignor: per topic, the subscribed members in id order each take a contiguous
 * range of partitions; the first {@code partitions % members} members take one extra.
 */
public final class RangeAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions,
                                                    Map<String, Integer> partitionsPerTopic,
                                                    Map<String, List<TopicPartition>> previous) {
        Map<String, List<TopicPartition>> result = Assignments.emptyFor(subscriptions);
        java.util.TreeSet<String> topics = new java.util.TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        for (String topic : topics) {
            List<String> members = result.keySet().stream().filter(m -> subscriptions.get(m).contains(topic)).toList();
            int partitions = partitionsPerTopic.getOrDefault(topic, 0);
            int base = partitions / members.size();
            int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int count = base + (i < extra ? 1 : 0);
                for (int j = 0; j < count; j++) {
                    result.get(members.get(i)).add(new TopicPartition(topic, next++));
                }
            }
        }
        return result;
    }
}
