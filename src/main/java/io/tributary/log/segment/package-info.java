/**
 * One segment of a partition log: the {@code .log} file of record batches with its indexes, file
 * naming, header scanning and per-segment recovery.
 */
package io.tributary.log.segment;
