/**
 * The storage-engine benchmark: appends under each flush policy, batch size and writer count,
 * sequential reads, and reopening a 1 GiB log after a clean shutdown and after {@code kill -9},
 * each set beside the machine's raw write limit measured in the same run. {@link
 * io.tributary.bench.log.LogBench} is the entry point; {@code bench/log-bench.sh} runs it.
 */
package io.tributary.bench.log;
