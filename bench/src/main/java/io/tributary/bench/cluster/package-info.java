/**
 * The cluster benchmark's load generator, driven case by case by {@code bench/cluster-bench.sh}
 * against brokers it starts: batched HTTP produce spread over the partition leaders (the
 * throughput of one broker against three with RF=3), end-to-end latency at a fixed rate through
 * the leaders, and the time a partition takes to take writes again after its leader is killed.
 * It reuses the front benchmark's load pieces ({@link io.tributary.bench.front}).
 */
package io.tributary.bench.cluster;
