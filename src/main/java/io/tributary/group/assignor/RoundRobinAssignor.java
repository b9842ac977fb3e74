package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's round-robin assignor: all subscribed partitions in order are dealt to the members in id
 * order, one at a time, skipping members not subscribed to a partition's topic.
 */
public final class RoundRobinAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions,
                                                    Map<String, Integer> partitionsPerTopic,
                                                    Map<String, List<TopicPartition>> previous) {
        Map<String, List<TopicPartition>> result = Assignments.emptyFor(subscriptions);
        List<String> members = new ArrayList<>(result.keySet());
        if (members.isEmpty()) {
            return result;
        }
        int cursor = 0;
        for (TopicPartition tp : Assignments.allSubscribed(subscriptions, partitionsPerTopic)) {
            for (int tried = 0; tried < members.size(); tried++) {
                String member = members.get(cursor);
                cursor = (cursor + 1) % members.size();
                if (subscriptions.get(member).contains(tp.topic())) {
                    result.get(member).add(tp);
                    break;
                }
            }
        }
        return result;
    }
}
