/**
 * The front benchmark's load generator: HTTP batch and NDJSON produce, WebSocket produce and
 * consume, REST fetch and end-to-end latency against a running broker, driven case by case by
 * {@code bench/front-bench.sh}, which also runs Apache Kafka's own performance tools as the
 * reference in the same run.
 */
package io.tributary.bench.front;
