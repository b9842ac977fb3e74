package io.tributary.cluster;

import io.tributary.common.TopicPartition;

/**
 * Told about changes in cluster state. Called on the cluster's event thread: implementations
 * must return quickly and hand real work to their own executor.
 */
public interface ClusterListener {

    default void onTopicChanged(String topic) {
    }

    default void onTopicDeleted(String topic) {
    }

    default void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
    }

    default void onBrokersChanged() {
    }

    /** This broker became the controller or stopped being it. */
    default void onControllerChanged() {
    }

    /** The ZooKeeper session is suspended or lost: stop acting as leader now. */
    default void onSessionSuspended() {
    }

    /** The session is back (possibly a new one): state has been re-read. */
    default void onSessionRestored() {
    }
}
