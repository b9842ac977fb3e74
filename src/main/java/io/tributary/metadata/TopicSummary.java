package io.tributary.metadata;

import java.util.Map;

/** A topic as the catalogue lists it. */
public record TopicSummary(String name, int partitions, int replicationFactor, boolean internal,
                           Map<String, String> configs, long createdAtMs) {
}
