package io.tributary.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of the offset-commit audit trail: one committed offset of one partition. Never updated. */
@Entity
@Table(name = "offset_commit_audit", indexes = {
        @Index(name = "offset_commit_audit_group_time", columnList = "group_id, committed_at"),
        @Index(name = "offset_commit_audit_time", columnList = "committed_at")})
class OffsetCommitEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "offset_commit_audit_seq")
    @SequenceGenerator(name = "offset_commit_audit_seq", sequenceName = "offset_commit_audit_seq", allocationSize = 500)
    private Long id;

    @Column(name = "group_id", length = 249, nullable = false)
    private String groupId;

    @Column(length = 64)
    private String memberId;

    @Column(length = 255)
    private String clientAddress;

    @Column(length = 249, nullable = false)
    private String topic;

    @Column(name = "partition_id")
    private int partition;

    @Column(name = "committed_offset")
    private long offset;

    private int generation;

    @Column(name = "committed_at", nullable = false)
    private Instant committedAt;

    protected OffsetCommitEntity() {
    }

    OffsetCommitEntity(AuditedCommit c) {
        this.groupId = c.group();
        this.memberId = c.memberId();
        this.clientAddress = c.clientAddress();
        this.topic = c.topic();
        this.partition = c.partition();
        this.offset = c.offset();
        this.generation = c.generation();
        this.committedAt = c.committedAt();
    }

    AuditedCommit toRecord() {
        return new AuditedCommit(id, groupId, memberId, clientAddress, topic, partition, offset, generation, committedAt);
    }
}
