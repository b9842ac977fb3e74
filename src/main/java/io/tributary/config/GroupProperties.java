package io.tributary.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code tributary.group.*} settings of consumer groups, documented in {@code application.yml}.
 *
 * @param offsetsTopicPartitions        partitions of {@code __consumer_offsets} when it is created
 * @param offsetsTopicReplicationFactor its replication factor when it is created; -1 (the default):
 *                                      min(3, live brokers)
 * @param sessionTimeout                a REST member silent this long is removed
 * @param rebalanceTimeout              how long a rebalance waits for members to release partitions
 * @param resumeGracePeriod             how long a dropped WebSocket member may resume with its token
 * @param auditRetention                how long offset-commit audit rows are kept
 * @param timerTick                     how often expiry and rebalance deadlines are checked
 */
@Validated
@ConfigurationProperties("tributary.group")
public record GroupProperties(
        @DefaultValue("50") @Min(1) @Max(10_000) int offsetsTopicPartitions,
        @DefaultValue("-1") @Min(-1) int offsetsTopicReplicationFactor,
        @DefaultValue("30s") @NotNull Duration sessionTimeout,
        @DefaultValue("60s") @NotNull Duration rebalanceTimeout,
        @DefaultValue("30s") @NotNull Duration resumeGracePeriod,
        @DefaultValue("7d") @NotNull Duration auditRetention,
        @DefaultValue("200ms") @NotNull Duration timerTick) {
}
