/**
 * Replicas of partitions on this broker: leader and follower roles per leader epoch, the high
 * watermark, and (with more brokers) the in-sync replica set and follower fetching. Sits on
 * {@code log} for storage and {@code cluster} for shared state.
 */
package io.tributary.replication;
