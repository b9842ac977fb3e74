package io.tributary.group;

import java.util.List;

/**
 * Receives every acknowledged commit for the audit trail. A port: the coordinator does not know
 * where the trail is kept. {@link #record} must not block; implementations are thread-safe.
 */
public interface CommitAuditLog {

    void record(List<CommitAudit> commits);

    CommitAuditLog NONE = commits -> { };
}
