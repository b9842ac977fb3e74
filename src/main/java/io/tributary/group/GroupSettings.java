package io.tributary.group;

/**
 * The coordinator's timing settings, in milliseconds.
 *
 * @param sessionTimeoutMs   a member that is not session-bound is removed after this long without a request
 * @param rebalanceTimeoutMs how long a rebalance waits for members to release partitions
 * @param resumeGraceMs      how long a session-bound member's partitions wait for it to resume after a disconnect
 */
public record GroupSettings(long sessionTimeoutMs, long rebalanceTimeoutMs, long resumeGraceMs) {
}
