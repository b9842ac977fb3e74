package io.tributary.service;

import io.tributary.cluster.ClusterListener;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.TopicName;
import io.tributary.metadata.TopicCatalog;
import io.tributary.metadata.TopicSummary;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JPA topic catalogue in step with cluster state: a full sync at start, then every topic
 * change and deletion as it happens, one at a time on its own thread.
 */
public final class TopicCatalogMirror implements ClusterListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCatalogMirror.class);

    private final ClusterMetadata cluster;
    private final TopicCatalog catalog;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-catalog-mirror");
        t.setDaemon(true);
        return t;
    });

    public TopicCatalogMirror(ClusterMetadata cluster, TopicCatalog catalog) {
        this.cluster = cluster;
        this.catalog = catalog;
    }

    public void syncAll() {
        submit(() -> catalog.replaceAll(cluster.topics().values().stream().map(TopicCatalogMirror::summary).toList()));
    }

    /** Waits until every change seen so far is in the catalogue. */
    public void awaitSynced(long timeoutMs) {
        try {
            thread.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Topic catalogue did not catch up within {} ms", timeoutMs);
        }
    }

    @Override
    public void onTopicChanged(String topic) {
        submit(() -> cluster.topic(topic).ifPresent(t -> catalog.upsert(summary(t))));
    }

    @Override
    public void onTopicDeleted(String topic) {
        submit(() -> catalog.delete(topic));
    }

    @Override
    public void onSessionRestored() {
        syncAll();
    }

    private static TopicSummary summary(TopicDefinition t) {
        return new TopicSummary(t.name(), t.partitions(), t.replicationFactor(), TopicName.isInternal(t.name()),
                t.configs(), t.createdAtMs());
    }

    private void submit(Runnable task) {
        thread.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Updating the topic catalogue failed", e);
            }
        });
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
