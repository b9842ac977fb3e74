package io.tributary.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.common.LogFields;
import io.tributary.log.segment.LogFileNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.tributary.log.LogTestSupport.TP;
import static io.tributary.log.LogTestSupport.append;
import static io.tributary.log.LogTestSupport.batchPositions;
import static io.tributary.log.LogTestSupport.config;
import static io.tributary.log.LogTestSupport.flipBitInValue;
import static org.assertj.core.api.Assertions.assertThat;

/** Storage events name their topic and partition as key-value pairs, which structured logs render as fields. */
class StorageLogFieldsTest {

    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final List<Logger> loggers = List.of(logger(FilePartitionLog.class), logger(LogLoader.class));
    private final MockTime time = new MockTime();

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }

    @BeforeEach
    void capture() {
        events.start();
        loggers.forEach(l -> l.addAppender(events));
    }

    @AfterEach
    void release() {
        loggers.forEach(l -> l.detachAppender(events));
    }

    private LogManager start() {
        LogManager manager = new LogManager(LogManagerConfig.of(dataDir, FlushPolicy.NONE), topic -> config(3), time);
        manager.startup();
        return manager;
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> p.value));
    }

    private ILoggingEvent event(String messageStart) {
        return events.list.stream().filter(e -> e.getMessage().startsWith(messageStart)).findFirst().orElseThrow();
    }

    @Test
    void truncationAndRetentionDeletesCarryTopicAndPartition() {
        try (LogManager manager = start()) {
            PartitionLog log = manager.getOrCreateLog(TP, config(3));
            append(log, 9, 1);
            log.truncateTo(7);
            log.updateConfig(config(3).withOverrides(Map.of("retention.bytes", "1")));
            manager.applyRetention();
        }

        assertThat(fields(event("Truncated {} to offset"))).containsEntry(LogFields.TOPIC, "orders")
                .containsEntry(LogFields.PARTITION, 0);
        assertThat(fields(event("Deleting segment"))).containsEntry(LogFields.TOPIC, "orders")
                .containsEntry(LogFields.PARTITION, 0);
    }

    @Test
    void recoveryTruncationCarriesTopicAndPartition() throws IOException {
        try (LogManager manager = start()) {
            append(manager.getOrCreateLog(TP, config(3)), 6, 1);
        }
        Files.delete(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        Files.delete(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT));
        Path first = LogFileNames.logFile(dataDir.resolve(TP.toString()), 0);
        flipBitInValue(first, batchPositions(first).get(1));

        try (LogManager restarted = start()) {
            assertThat(restarted.recoveryTruncations()).isEqualTo(1);
        }

        assertThat(fields(event("Recovery of {} cut"))).containsEntry(LogFields.TOPIC, "orders")
                .containsEntry(LogFields.PARTITION, 0);
    }
}
