/**
 * Operational metrics in Micrometer, named after the Kafka MBeans operators know
 * ({@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec} becomes
 * {@code tributary.server.broker.topic.bytes.in}, scraped as
 * {@code tributary_server_broker_topic_bytes_in_total}). The core keeps plain counters; this
 * package samples them: counters and gauges are computed at scrape time, per-partition and
 * per-group rows are refreshed on a short schedule, and a web filter counts WebSocket sessions and
 * times produce and fetch requests at the HTTP edge.
 */
package io.tributary.metrics;
