package io.tributary.metadata;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The broker's topic catalogue in JPA: a mirror of the topic definitions held in cluster state,
 * kept so topics can be listed, paged and searched with ordinary queries. Cluster state is the
 * truth; the catalogue follows it. Blocking: call it on a bounded elastic worker, never on an
 * event loop. Thread safety: thread-safe.
 */
@Service
public class TopicCatalog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TopicRepository repository;

    TopicCatalog(TopicRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public void upsert(TopicSummary topic) {
        TopicEntity entity = repository.findById(topic.name()).orElseGet(() -> new TopicEntity(topic.name()));
        entity.update(topic.partitions(), topic.replicationFactor(), topic.internal(),
                JSON.writeValueAsString(topic.configs()), Instant.ofEpochMilli(topic.createdAtMs()), Instant.now());
        repository.save(entity);
    }

    @Transactional
    public void delete(String name) {
        repository.deleteById(name);
    }

    /** Makes the catalogue hold exactly {@code topics}. */
    @Transactional
    public void replaceAll(Collection<TopicSummary> topics) {
        Set<String> keep = new java.util.HashSet<>();
        for (TopicSummary t : topics) {
            upsert(t);
            keep.add(t.name());
        }
        repository.findAll().stream().map(TopicEntity::name).filter(n -> !keep.contains(n)).forEach(repository::deleteById);
    }

    /** Topics whose name contains {@code nameFilter} (case-insensitive; null or empty: all), by name. */
    @Transactional(readOnly = true)
    public CatalogPage<TopicSummary> list(String nameFilter, int page, int size) {
        Page<TopicEntity> result = repository.findByNameContainingIgnoreCase(nameFilter == null ? "" : nameFilter,
                PageRequest.of(page, size, Sort.by("name")));
        return new CatalogPage<>(result.map(TopicCatalog::toSummary).getContent(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    private static TopicSummary toSummary(TopicEntity e) {
        Map<String, String> configs = e.configsJson() == null ? Map.of()
                : JSON.readValue(e.configsJson(), new TypeReference<Map<String, String>>() { });
        return new TopicSummary(e.name(), e.partitions(), e.replicationFactor(), e.internal(), configs,
                e.createdAt() == null ? 0 : e.createdAt().toEpochMilli());
    }
}
