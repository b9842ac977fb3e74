package io.tributary.config;

import io.tributary.common.Time;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.record.TimestampType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the storage engine: converts {@link TributaryProperties} into the core's records and runs
 * the {@link LogManager} for the life of the application. Closing the context (SIGTERM included)
 * closes the manager, which flushes every log and writes the clean-shutdown marker.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean
    Time time() {
        return Time.SYSTEM;
    }

    @Bean
    LogConfig defaultLogConfig(TributaryProperties properties) {
        return toLogConfig(properties.log());
    }

    @Bean(destroyMethod = "close")
    LogManager logManager(TributaryProperties properties, LogConfig defaultLogConfig, Time time) {
        TributaryProperties.Log log = properties.log();
        LogManagerConfig config = new LogManagerConfig(properties.dataDir().resolve("logs"), defaultLogConfig,
                log.flushPolicy(), log.flushInterval().toMillis(), log.retentionCheckInterval().toMillis(),
                log.checkpointInterval().toMillis(), log.cleanerInterval().toMillis());
        LogManager manager = new LogManager(config, topic -> defaultLogConfig, time);
        manager.startup();
        return manager;
    }

    static LogConfig toLogConfig(TributaryProperties.Log log) {
        return new LogConfig(
                (int) Math.min(Integer.MAX_VALUE, log.segmentBytes().toBytes()),
                log.segmentMs().toMillis(),
                log.retentionMs().isNegative() ? -1 : log.retentionMs().toMillis(),
                log.retentionBytes().toBytes() < 0 ? -1 : log.retentionBytes().toBytes(),
                log.cleanupPolicy(),
                log.deleteRetentionMs().toMillis(),
                (int) Math.min(Integer.MAX_VALUE, log.maxMessageBytes().toBytes()),
                (int) Math.min(Integer.MAX_VALUE, log.indexIntervalBytes().toBytes()),
                log.messageTimestampType() == TributaryProperties.TimestampKind.LOG_APPEND_TIME
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                log.fileDeleteDelay().toMillis());
    }
}
