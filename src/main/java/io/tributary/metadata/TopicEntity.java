package io.tributary.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of the topic catalogue: a copy of a topic's definition, for listing and search. */
@Entity
@Table(name = "topic_catalog")
class TopicEntity {

    @Id
    @Column(length = 249)
    private String name;

    private int partitions;

    private int replicationFactor;

    private boolean internal;

    @Lob
    @Column(name = "configs_json")
    private String configsJson;

    private Instant createdAt;

    private Instant updatedAt;

    protected TopicEntity() {
    }

    TopicEntity(String name) {
        this.name = name;
    }

    void update(int partitions, int replicationFactor, boolean internal, String configsJson, Instant createdAt,
                Instant updatedAt) {
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.internal = internal;
        this.configsJson = configsJson;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    String name() {
        return name;
    }

    int partitions() {
        return partitions;
    }

    int replicationFactor() {
        return replicationFactor;
    }

    boolean internal() {
        return internal;
    }

    String configsJson() {
        return configsJson;
    }

    Instant createdAt() {
        return createdAt;
    }
}
