package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where committed offsets live. The coordinator reads them from the store's cache and writes them
 * through it; a commit is acknowledged only after it is durable. Implementations are thread-safe.
 */
public interface OffsetStore {

    /**
     * Which offsets partition holds {@code group} and whether this broker coordinates it. May
     * block the first time (creating the offsets topic, loading a partition).
     */
    CoordinatorPlacement coordinatorFor(String group);

    /**
     * The group's committed offsets (empty when none), as of the last {@link #coordinatorFor} that
     * found the group local: that call loads the group's partition when this broker takes it over.
     */
    Map<TopicPartition, OffsetAndMetadata> committed(String group);

    /** Writes the offsets; the future completes once they are durable and visible in {@link #committed}. */
    CompletableFuture<Void> commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Forgets every offset of the group, durably. */
    CompletableFuture<Void> deleteGroup(String group);

    /** The groups with committed offsets this broker coordinates. */
    Set<String> groups();
}
