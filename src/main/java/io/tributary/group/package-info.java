/**
 * Consumer groups: the {@link io.tributary.group.GroupCoordinator} (membership, generations,
 * rebalances that never let two members deliver one partition, offset commits, expiry on a timer),
 * the group state machine, partition assignors, administration and views with lag
 * ({@link io.tributary.group.GroupAdmin}), long-polling fetch for REST members, and committed
 * offsets stored in the internal compacted topic {@code __consumer_offsets}
 * ({@link io.tributary.group.LogOffsetStore}), and which broker coordinates a group
 * ({@link io.tributary.group.CoordinatorRouter}), so any broker can send a request there. Transports join through
 * {@link io.tributary.group.MemberListener}; the audit trail is reached through the
 * {@link io.tributary.group.CommitAuditLog} port, so this package knows neither JPA nor HTTP.
 */
package io.tributary.group;
