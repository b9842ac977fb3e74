package io.tributary.service;

import io.tributary.log.record.Header;

/**
 * One record to produce, already in bytes. {@code partition} and {@code timestamp} may be null:
 * the partitioner and the clock choose.
 */
public record ProduceRecord(byte[] key, byte[] value, Header[] headers, Integer partition, Long timestamp) {
}
