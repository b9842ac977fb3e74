package io.tributary.metadata;

import java.time.Instant;

/**
 * One committed offset in the audit trail. {@code id} is null until stored; {@code memberId} and
 * {@code clientAddress} are null for administrative resets, whose {@code generation} is -1.
 */
public record AuditedCommit(Long id, String group, String memberId, String clientAddress, String topic, int partition,
                            long offset, int generation, Instant committedAt) {
}
