package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Topics and log offsets set by the test. */
final class FakeLogOffsets implements LogOffsets {

    final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    final Map<TopicPartition, Long> starts = new ConcurrentHashMap<>();
    final Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();

    FakeLogOffsets topic(String name, int count, long end) {
        partitions.put(name, count);
        for (int p = 0; p < count; p++) {
            ends.put(new TopicPartition(name, p), end);
        }
        return this;
    }

    @Override
    public int partitionCount(String topic) {
        return partitions.getOrDefault(topic, 0);
    }

    @Override
    public long logStartOffset(TopicPartition tp) {
        return starts.getOrDefault(tp, 0L);
    }

    @Override
    public long highWatermark(TopicPartition tp) {
        return ends.getOrDefault(tp, 0L);
    }

    @Override
    public long offsetForTimestamp(TopicPartition tp, long timestampMs) {
        return Math.min(timestampMs, highWatermark(tp));
    }
}
