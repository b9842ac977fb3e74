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
 * @param dataDir        where partition logs, the H2 database and the embedded ZooKeeper live
 * @param advertisedHost the host name other brokers and clients reach this broker at
 * @param zookeeper      coordination settings
 * @param replication    replication settings
 * @param log            storage settings and topic defaults
 */
@Validated
@ConfigurationProperties("tributary")
public record TributaryProperties(
        @DefaultValue("1") @Min(0) int brokerId,
        @DefaultValue("./data") @NotNull Path dataDir,
        @DefaultValue("localhost") @NotNull String advertisedHost,
        @DefaultValue @Valid @NotNull Zookeeper zookeeper,
        @DefaultValue @Valid @NotNull Replication replication,
        @DefaultValue @Valid @NotNull Log log) {

    /**
     * Coordination. With {@code connect} empty the broker runs its own ZooKeeper server.
     *
     * @param connect           the ensemble's connect string; empty: start an embedded server
     * @param embeddedHost      the address the embedded server binds
     * @param embeddedPort      the embedded server's port (0: any free port)
     * @param sessionTimeout    ZooKeeper session timeout; a broker silent this long loses its leaderships.
     *                          4s (the least a server with the default tickTime of 2 s grants) keeps
     *                          failover after a crash near 5 s, at the price of sessions lost to pauses
     *                          near 4 s (BENCHMARKS.md, "Cluster")
     * @param connectionTimeout how long startup waits for ZooKeeper
     */
    public record Zookeeper(
            @DefaultValue("") String connect,
            @DefaultValue("127.0.0.1") @NotNull String embeddedHost,
            @DefaultValue("2181") @Min(0) int embeddedPort,
            @DefaultValue("4s") @NotNull Duration sessionTimeout,
            @DefaultValue("15s") @NotNull Duration connectionTimeout) {
    }

    /**
     * Replication between brokers.
     *
     * @param port               the replication channel's port (0: any free port)
     * @param bindHost           the address the replication channel listens on
     * @param replicaLagTimeMax  a follower not caught up for this long leaves the ISR
     * @param fetchMaxWait       how long a follower's fetch waits at the leader when there is nothing new
     * @param fetchMaxBytes      about how much one follower fetch returns
     * @param fetcherThreads     fetcher threads per leader broker
     * @param ackTimeout         how long acks=all waits for the in-sync replicas (then REQUEST_TIMED_OUT)
     * @param controllerInterval how often the controller re-checks every partition
     */
    public record Replication(
            @DefaultValue("9093") @Min(0) int port,
            @DefaultValue("127.0.0.1") @NotNull String bindHost,
            @DefaultValue("30s") @NotNull Duration replicaLagTimeMax,
            @DefaultValue("500ms") @NotNull Duration fetchMaxWait,
            @DefaultValue("1MB") @NotNull DataSize fetchMaxBytes,
            @DefaultValue("1") @Min(1) int fetcherThreads,
            @DefaultValue("30s") @NotNull Duration ackTimeout,
            @DefaultValue("5s") @NotNull Duration controllerInterval) {
    }

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
