package io.tributary.log;

import io.tributary.log.record.MemoryRecords;

/**
 * Whole batches read from a log, starting with the one that holds the requested offset (which may
 * begin before it), and the log's bounds at the time of the read. {@code records} is empty when
 * the requested offset is the end of the readable log.
 */
public record LogReadResult(MemoryRecords records, long logStartOffset, long logEndOffset) {
}
