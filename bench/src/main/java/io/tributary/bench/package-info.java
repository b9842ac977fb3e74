/**
 * Benchmarks: the storage engine against the machine's raw write limit, and the broker's front
 * against Apache Kafka on the same machine. Run by the scripts in {@code bench/}; results go to
 * {@code BENCHMARKS.md}. They compile with the tests but are never run by {@code ./mvnw verify}.
 */
package io.tributary.bench;
