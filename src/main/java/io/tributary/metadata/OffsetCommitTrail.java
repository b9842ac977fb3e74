package io.tributary.metadata;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * The offset-commit audit trail in JPA: every acknowledged commit (group, member, client address,
 * partition, offset, generation, time), queried by group with filters and paging, and purged after
 * the retention period. Blocking: call it on a bounded elastic worker or a thread of its own,
 * never on an event loop. Thread safety: thread-safe.
 */
@Service
public class OffsetCommitTrail {

    private final OffsetCommitRepository repository;

    OffsetCommitTrail(OffsetCommitRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public void recordAll(List<AuditedCommit> commits) {
        repository.saveAll(commits.stream().map(OffsetCommitEntity::new).toList());
    }

    /**
     * The group's commits, oldest first, optionally only of {@code topic}, of {@code partition},
     * and at or after {@code from} / before {@code to}.
     */
    @Transactional(readOnly = true)
    public CatalogPage<AuditedCommit> history(String group, String topic, Integer partition, Instant from, Instant to,
                                              int page, int size) {
        Specification<OffsetCommitEntity> spec = (root, query, cb) -> cb.equal(root.get("groupId"), group);
        if (topic != null && !topic.isEmpty()) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("topic"), topic));
        }
        if (partition != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("partition"), partition));
        }
        if (from != null) {
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("committedAt"), from));
        }
        if (to != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("committedAt"), to));
        }
        Page<OffsetCommitEntity> result = repository.findAll(spec,
                PageRequest.of(page, size, Sort.by("committedAt").and(Sort.by("id"))));
        return new CatalogPage<>(result.map(OffsetCommitEntity::toRecord).getContent(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    /** Deletes rows committed before {@code cutoff}; returns how many. */
    @Transactional
    public int purgeOlderThan(Instant cutoff) {
        return repository.deleteOlderThan(cutoff);
    }
}
