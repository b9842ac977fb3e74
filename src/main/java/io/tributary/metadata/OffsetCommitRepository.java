package io.tributary.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;

interface OffsetCommitRepository extends JpaRepository<OffsetCommitEntity, Long>,
        JpaSpecificationExecutor<OffsetCommitEntity> {

    @Modifying
    @Query("delete from OffsetCommitEntity e where e.committedAt < :cutoff")
    int deleteOlderThan(@Param("cutoff") Instant cutoff);
}
