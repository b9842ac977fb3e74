package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link OffsetStore} in memory, for coordinator tests; counts writes. */
final class MemoryOffsetStore implements OffsetStore {

    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public CoordinatorPlacement coordinatorFor(String group) {
        return new CoordinatorPlacement(CoordinatorPlacement.partitionFor(group, 50), true);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        return Map.copyOf(offsets.getOrDefault(group, Map.of()));
    }

    @Override
    public CompletableFuture<Void> commit(String group, Map<TopicPartition, OffsetAndMetadata> commits) {
        writes.incrementAndGet();
        offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(commits);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> deleteGroup(String group) {
        offsets.remove(group);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<String> groups() {
        return Set.copyOf(offsets.keySet());
    }
}
