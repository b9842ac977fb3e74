package io.tributary.group;

import io.tributary.common.TopicPartition;

/** One partition's offset in a commit request: the next offset to read, and optional client metadata. */
public record PartitionCommit(TopicPartition partition, long offset, String metadata) {
}
