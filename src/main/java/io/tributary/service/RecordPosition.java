package io.tributary.service;

/** Where a produced record landed, and the timestamp it carries. */
public record RecordPosition(int partition, long offset, long timestamp) {
}
