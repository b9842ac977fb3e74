package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Helpers shared by the assignors. */
final class Assignments {

    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private Assignments() {
    }

    /** An empty assignment for every member, in member-id order. */
    static Map<String, List<TopicPartition>> emptyFor(Map<String, Set<String>> subscriptions) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, new ArrayList<>()));
        return result;
    }

    /** Every partition of every topic anyone subscribes to (and that exists), in order. */
    static List<TopicPartition> allSubscribed(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionsPerTopic) {
        java.util.TreeSet<String> topics = new java.util.TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            int count = partitionsPerTopic.getOrDefault(topic, 0);
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        return all;
    }
}
