package io.tributary.metadata;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TopicRepository extends JpaRepository<TopicEntity, String> {

    Page<TopicEntity> findByNameContainingIgnoreCase(String name, Pageable pageable);
}
