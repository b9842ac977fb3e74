package io.tributary.config;

import io.tributary.log.FlushPolicy;
import io.tributary.log.CleanupPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every {@code tributary.*} setting. Immutable; bound once at startup and converted in
 * {@link StorageConfiguration} into the plain records the core uses. {@code application.yml} at
 * the project root documents each one.
 *
 * @param brokerId this broker's id, unique in the cluster
 * @param dataDir  where partition logs, the H2 database and the embedded ZooKeeper live
 * @param log      storage settings and topic defaults
 */
@Validated
@ConfigurationProperties("tributary")
public record TributaryProperties(
        @DefaultValue("1") @Min(0) int brokerId,
        @DefaultValue("./data") @NotNull Path dataDir,
        @DefaultValue @Valid @NotNull Log log) {

    /**
     * Storage settings; the ones named like Kafka's topic configs are the defaults topics override.
     */
    public record Log(
            @DefaultValue("on-ack") @NotNull FlushPolicy flushPolicy,
            @DefaultValue("1s") @NotNull Duration flushInterval,
            @DefaultValue("5s") @NotNull Duration checkpointInterval,
            @DefaultValue("5m") @NotNull Duration retentionCheckInterval,
            @DefaultValue("15s") @NotNull Duration cleanerInterval,
            @DefaultValue("1GB") @NotNull DataSize segmentBytes,
            @DefaultValue("7d") @NotNull Duration segmentMs,
            @DefaultValue("14d") @NotNull Duration retentionMs,
            @DefaultValue("-1B") @NotNull DataSize retentionBytes,
            @DefaultValue("delete") @NotNull CleanupPolicy cleanupPolicy,
            @DefaultValue("1d") @NotNull Duration deleteRetentionMs,
            @DefaultValue("1MB") @NotNull DataSize maxMessageBytes,
            @DefaultValue("4KB") @NotNull DataSize indexIntervalBytes,
            @DefaultValue("create-time") @NotNull TimestampKind messageTimestampType,
            @DefaultValue("60s") @NotNull Duration fileDeleteDelay) {
    }

    /** How a record's timestamp is chosen: by the producer, or by the broker on append. */
    public enum TimestampKind {
        CREATE_TIME,
        LOG_APPEND_TIME
    }
}
