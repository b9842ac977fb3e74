package io.tributary.group;

import io.tributary.cluster.ClusterListener;

import java.util.concurrent.Executor;

/**
 * Tells the coordinator about topic changes (created, grown, deleted) so groups reading them
 * rebalance. Cluster events arrive on the cluster's event thread; the work runs on {@code executor}.
 */
public final class GroupTopicWatcher implements ClusterListener {

    private final GroupCoordinator coordinator;
    private final Executor executor;

    public GroupTopicWatcher(GroupCoordinator coordinator, Executor executor) {
        this.coordinator = coordinator;
        this.executor = executor;
    }

    @Override
    public void onTopicChanged(String topic) {
        executor.execute(() -> coordinator.onTopicChanged(topic));
    }

    @Override
    public void onTopicDeleted(String topic) {
        executor.execute(() -> coordinator.onTopicChanged(topic));
    }
}
