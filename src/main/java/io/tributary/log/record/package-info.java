/**
 * The record batch format: how records travel between producers, the log, followers and consumers,
 * and how they rest on disk. It is Apache Kafka's record batch format version 2 (magic 2), byte for
 * byte, so a batch written here is readable by Kafka tooling and the other way round.
 *
 * <p>{@link io.tributary.log.record.RecordBatch} is a flyweight over one batch and documents the
 * layout; {@link io.tributary.log.record.MemoryRecords} is a run of batches in one buffer (a
 * produce request, a fetch response, a read from a segment);
 * {@link io.tributary.log.record.RecordBatchBuilder} encodes one batch. Decoding never copies key or
 * value bytes and reports malformed bytes as {@link io.tributary.common.CorruptRecordException},
 * never as an index or underflow error. The package is plain Java: it depends on nothing but
 * {@code io.tributary.common}.
 */
package io.tributary.log.record;
