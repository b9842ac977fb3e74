package io.tributary.group;

/** One committed offset as the audit trail records it; {@code memberId} is null for administrative resets. */
public record CommitAudit(String group, String memberId, String clientAddress, String topic, int partition, long offset,
                          int generation, long timestampMs) {
}
