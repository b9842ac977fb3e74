package io.tributary.group;

/**
 * The answer to a join: the member's id, the token that authenticates it and lets it resume, and
 * its assignment when the join's rebalance has already completed ({@code generation 0} and no
 * partitions while the group waits for other members to release theirs).
 */
public record JoinResult(String memberId, String token, boolean resumed, MemberAssignment assignment) {
}
