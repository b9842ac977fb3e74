package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Divides the partitions a group's members subscribe to among those members. Every implementation
 * guarantees: each subscribed partition goes to exactly one member subscribed to its topic; no
 * partition goes to two members; members are considered in id order, so the result depends only
 * on the inputs.
 */
public interface PartitionAssignor {

    /** The name clients choose the assignor by ({@code assignor=range}). */
    String name();

    /**
     * @param subscriptions each member's subscribed topics
     * @param partitionsPerTopic how many partitions each subscribed topic has
     * @param previous the assignment of the previous generation (empty for the first); only the
     *                 sticky assignor uses it
     * @return each member's partitions (every member appears, possibly with none)
     */
    Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions,
                                             Map<String, Integer> partitionsPerTopic,
                                             Map<String, List<TopicPartition>> previous);

    /** The assignor for a name: {@code range}, {@code round-robin} or {@code sticky}. */
    static PartitionAssignor named(String name) {
        return switch (name == null ? "range" : name) {
            case "range" -> new RangeAssignor();
            case "round-robin", "roundrobin" -> new RoundRobinAssignor();
            case "sticky" -> new StickyAssignor();
            default -> throw new io.tributary.common.TributaryException(io.tributary.common.ErrorCode.INVALID_REQUEST,
                    "Unknown assignor '" + name + "': use range, round-robin or sticky");
        };
    }
}
