package io.tributary.cluster;

import io.tributary.common.TopicPartition;

/**
 * Where Tributary keeps its state in ZooKeeper, all under {@code /tributary}:
 * <pre>
 * /tributary/cluster-id                     the cluster's id (created once)
 * /tributary/brokers/&lt;id&gt;                 ephemeral; BrokerInfo JSON of a live broker
 * /tributary/controller                     LeaderLatch of the controller election
 * /tributary/topics/&lt;topic&gt;               TopicDefinition JSON (replicas, configs)
 * /tributary/partitions/&lt;topic&gt;/&lt;p&gt;       PartitionState JSON {leader, leaderEpoch, isr}
 * /tributary/shutdown/&lt;id&gt;                ephemeral; broker id is shutting down (controlled shutdown)
 * </pre>
 * Topic names are validated before they become path segments (they cannot contain '/').
 */
public final class ZNodes {

    public static final String ROOT = "/tributary";
    public static final String CLUSTER_ID = ROOT + "/cluster-id";
    public static final String BROKERS = ROOT + "/brokers";
    public static final String CONTROLLER = ROOT + "/controller";
    public static final String TOPICS = ROOT + "/topics";
    public static final String PARTITIONS = ROOT + "/partitions";
    public static final String SHUTDOWN = ROOT + "/shutdown";

    private ZNodes() {
    }

    public static String broker(int id) {
        return BROKERS + "/" + id;
    }

    public static String shuttingDown(int id) {
        return SHUTDOWN + "/" + id;
    }

    public static String topic(String name) {
        return TOPICS + "/" + name;
    }

    public static String topicPartitions(String topic) {
        return PARTITIONS + "/" + topic;
    }

    public static String partition(TopicPartition tp) {
        return topicPartitions(tp.topic()) + "/" + tp.partition();
    }
}
