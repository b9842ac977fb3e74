package io.tributary.group;

import java.util.Set;

/**
 * A member asking to join a group.
 *
 * @param topics          the topics it reads
 * @param assignor        range, round-robin or sticky; null: the group's, else range
 * @param autoOffsetReset where to start where nothing is committed
 * @param sessionBound    true for members whose connection proves them alive (WebSocket): they
 *                        expire only after {@link GroupCoordinator#disconnect} and the resume grace
 *                        period; false for members that must be heard from within the session timeout (REST)
 * @param sessionTimeoutMs for members that are not session-bound; 0: the broker's default
 * @param resumeToken     a token from an earlier join: the same member resumes with its partitions, or null
 * @param clientAddress   the client's address, for the audit trail
 * @param listener        how the coordinator reaches the member
 */
public record JoinRequest(Set<String> topics, String assignor, OffsetResetPolicy autoOffsetReset, boolean sessionBound,
                          long sessionTimeoutMs, String resumeToken, String clientAddress, MemberListener listener) {

    public JoinRequest {
        topics = Set.copyOf(topics);
    }
}
