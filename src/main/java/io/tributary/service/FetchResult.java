package io.tributary.service;

import io.tributary.log.record.Record;

import java.util.List;

/**
 * Records read from one partition: none below the requested offset, none at or above the high
 * watermark. {@code nextOffset} is where the next read continues.
 */
public record FetchResult(int partition, List<Record> records, long nextOffset, long highWatermark,
                          long logStartOffset) {
}
