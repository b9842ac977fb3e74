package io.tributary.cluster;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's shared state: live brokers, the controller, topic definitions and partition
 * states. Reads come from a local cache kept current by watches; writes go to the coordination
 * service and are conditional where they race (compare-and-set on versions).
 *
 * <p>Thread safety: thread-safe.
 */
public interface ClusterMetadata {

    String clusterId();

    int localBrokerId();

    Optional<Integer> controllerId();

    /** Whether this broker is the controller now. */
    boolean isController();

    Map<Integer, BrokerInfo> liveBrokers();

    /**
     * Live brokers that announced a controlled shutdown: the controller moves leadership away from
     * them and takes them out of in-sync replica sets.
     */
    Set<Integer> shuttingDownBrokers();

    /**
     * Announces that this broker is shutting down (for as long as its session lasts), so the
     * controller moves its leadership to other in-sync replicas.
     */
    void announceShutdown();

    Map<String, TopicDefinition> topics();

    Optional<TopicDefinition> topic(String name);

    Optional<PartitionState> partitionState(TopicPartition tp);

    /**
     * Creates a topic with its partitions' initial states, atomically: all of it or none.
     * Throws {@code TOPIC_ALREADY_EXISTS} if the name is taken.
     */
    void createTopic(TopicDefinition definition, Map<Integer, PartitionState> initialStates);

    /** Replaces a topic's configs and adds partitions (with their initial states). */
    void updateTopic(TopicDefinition definition, Map<Integer, PartitionState> newPartitionStates);

    /** Removes a topic and its partition states. Throws {@code TOPIC_NOT_FOUND} if absent. */
    void deleteTopic(String name);

    /**
     * Replaces a partition's state if its version is still {@code expected.version()}; false when
     * someone else changed it first.
     */
    boolean compareAndSetPartitionState(TopicPartition tp, PartitionState expected, PartitionState next);

    /** Whether the session with the coordination service is connected and current. */
    boolean sessionHealthy();

    void addListener(ClusterListener listener);
}
