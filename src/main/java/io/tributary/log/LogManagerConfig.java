package io.tributary.log;

import java.nio.file.Path;

/**
 * Broker-wide storage settings.
 *
 * @param dataDir                  the directory holding every partition directory
 * @param defaults                 topic settings for topics without overrides
 * @param flushPolicy              when appends are forced to the device
 * @param flushIntervalMs          under {@link FlushPolicy#INTERVAL}, how often dirty logs are forced
 * @param retentionCheckIntervalMs how often retention looks for segments to delete
 * @param checkpointIntervalMs     how often recovery points are written to the checkpoint file
 * @param cleanerIntervalMs        how often compacted topics are cleaned
 */
public record LogManagerConfig(Path dataDir, LogConfig defaults, FlushPolicy flushPolicy, long flushIntervalMs,
                               long retentionCheckIntervalMs, long checkpointIntervalMs, long cleanerIntervalMs) {

    public LogManagerConfig {
        if (flushIntervalMs <= 0 || retentionCheckIntervalMs <= 0 || checkpointIntervalMs <= 0 || cleanerIntervalMs <= 0) {
            throw new IllegalArgumentException("Storage intervals must be positive");
        }
    }

    /** Defaults suited to tests and a laptop. */
    public static LogManagerConfig of(Path dataDir, FlushPolicy flushPolicy) {
        return new LogManagerConfig(dataDir, LogConfig.defaults(), flushPolicy, 1000, 300_000, 5_000, 15_000);
    }
}
