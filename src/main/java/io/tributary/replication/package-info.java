/**
 * Replicas of partitions on this broker: leader and follower roles per leader epoch, the in-sync
 * replica set and the high watermark ({@link io.tributary.replication.Partition}), followers
 * pulling raw batches from leaders ({@link io.tributary.replication.FollowerFetcher}) over the
 * binary replication channel ({@link io.tributary.replication.ReplicationCodec},
 * {@link io.tributary.replication.ReplicationServer}), which also carries requests forwarded from
 * brokers that do not lead a partition. Sits on {@code log} for storage and {@code cluster} for
 * shared state.
 */
package io.tributary.replication;
