/**
 * What the front calls: topics, producing and fetching, in terms of the cluster, the replicas and
 * the logs. Transport-free: no HTTP, WebSocket or Reactor types here; results are plain values
 * and {@code CompletableFuture}s.
 */
package io.tributary.service;
