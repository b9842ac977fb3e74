package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.segment.LogFileNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.LogTestSupport.append;
import static io.tributary.log.LogTestSupport.batchPositions;
import static io.tributary.log.LogTestSupport.fileNames;
import static io.tributary.log.LogTestSupport.flipBitInValue;
import static io.tributary.log.LogTestSupport.readAll;
import static io.tributary.log.LogTestSupport.valuesFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The data directory: its lock, the clean-shutdown marker and recovery-point checkpoint, leftovers
 * of deletions, and what may and may not become a directory in it.
 */
class LogManagerTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final LogConfig CONFIG = LogTestSupport.config(3);

    @TempDir
    Path root;

    private Path dataDir;
    private final MockTime time = new MockTime();
    private final List<LogManager> managers = new ArrayList<>();

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createDirectories(root.resolve("data"));
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(LogManager::close);
    }

    private LogManager manager() {
        LogManager manager = new LogManager(LogManagerConfig.of(dataDir, FlushPolicy.NONE), topic -> CONFIG, time);
        managers.add(manager);
        return manager;
    }

    private LogManager start() {
        LogManager manager = manager();
        manager.startup();
        return manager;
    }

    private Path segment(TopicPartition tp, long base) {
        return LogFileNames.logFile(dataDir.resolve(tp.toString()), base);
    }

    @Test
    void aSecondManagerCannotOpenTheDirectoryWhileTheFirstHoldsTheLock() {
        LogManager first = start();
        append(first.getOrCreateLog(ORDERS_0, CONFIG), 2, 1);

        assertThatThrownBy(() -> manager().startup())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(LogManager.LOCK_FILE);
        assertThat(first.getLog(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(2);

        first.close();
        LogManager next = start();
        assertThat(readAll(next.getLog(ORDERS_0).orElseThrow())).isEqualTo(valuesFor(0, 2));
    }

    @Test
    void closeWritesTheRecoveryPointsAndThenTheCleanShutdownMarker() throws IOException {
        LogManager manager = start();
        append(manager.getOrCreateLog(ORDERS_0, CONFIG), 7, 1);
        append(manager.getOrCreateLog(ORDERS_1, CONFIG), 2, 1);

        manager.close();

        assertThat(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();
        assertThat(new OffsetCheckpointFile(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT)).read())
                .contains(Map.of(ORDERS_0, 7L, ORDERS_1, 2L));
    }

    @Test
    void theNextStartupLoadsTheLogsAndRemovesTheMarker() {
        LogManager manager = start();
        append(manager.getOrCreateLog(ORDERS_0, CONFIG), 7, 1);
        manager.close();

        LogManager restarted = start();

        assertThat(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        PartitionLog log = restarted.getLog(ORDERS_0).orElseThrow();
        assertThat(readAll(log)).isEqualTo(valuesFor(0, 7));
        assertThat(log.recoveryPoint()).isEqualTo(7);
        append(log, 1, 1);
        assertThat(log.logEndOffset()).isEqualTo(8);
    }

    /** A log of 12 records in four segments, shut down cleanly, then with the marker removed: a crash. */
    private void crashedLogWithDamageInTheFirstSegment() throws IOException {
        LogManager manager = start();
        append(manager.getOrCreateLog(ORDERS_0, CONFIG), 12, 1);
        manager.close();
        Files.delete(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        flipBitInValue(segment(ORDERS_0, 0), batchPositions(segment(ORDERS_0, 0)).get(1));
    }

    @Test
    void afterACrashOnlySegmentsPastTheCheckpointedRecoveryPointAreScanned() throws IOException {
        crashedLogWithDamageInTheFirstSegment();

        LogManager restarted = start();

        // The checkpoint says 12: only the last segment is scanned, and the damage at offset 1 is not seen.
        assertThat(restarted.getLog(ORDERS_0).orElseThrow().logEndOffset()).isEqualTo(12);
    }

    @Test
    void recoveryCountsTheLogsItTruncatedAndTheBytesItCut() throws IOException {
        crashedLogWithDamageInTheFirstSegment();
        Files.delete(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT));
        long bytesBefore = 0;
        for (long base : List.of(0L, 3L, 6L, 9L)) {
            bytesBefore += Files.size(segment(ORDERS_0, base));
        }

        LogManager restarted = start();

        long bytesAfter = restarted.getLog(ORDERS_0).orElseThrow().sizeInBytes();
        assertThat(restarted.recoveryTruncations()).isEqualTo(1);
        assertThat(restarted.recoveryTruncatedBytes()).isEqualTo(bytesBefore - bytesAfter).isPositive();
    }

    @Test
    void aCleanStartupCountsNoRecoveryTruncation() {
        LogManager first = start();
        append(first.getOrCreateLog(ORDERS_0, CONFIG), 5, 1);
        first.close();

        LogManager restarted = start();

        assertThat(restarted.recoveryTruncations()).isZero();
        assertThat(restarted.recoveryTruncatedBytes()).isZero();
    }

    static Stream<byte[]> unreadableCheckpoints() {
        Stream<byte[]> text = Stream.of("", "garbage", "0\n", "0\n5\norders 0 12\n", "9\n1\norders 0 12\n",
                        "0\n1\norders 0 twelve\n", "0\n1\norders -1 12\n", "0\n1\norders 0\n", "0\n-3\n")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Stream.concat(text, Stream.of(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3}));
    }

    @ParameterizedTest
    @MethodSource("unreadableCheckpoints")
    void anUnreadableCheckpointMeansFullRecoveryNotAFailedStartup(byte[] checkpoint) throws IOException {
        crashedLogWithDamageInTheFirstSegment();
        Files.write(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT), checkpoint);

        LogManager restarted = start();

        PartitionLog log = restarted.getLog(ORDERS_0).orElseThrow();
        assertThat(restarted.failure()).isNull();
        assertThat(log.logEndOffset()).as("every segment scanned: cut at the damage").isEqualTo(1);
        assertThat(readAll(log)).isEqualTo(valuesFor(0, 1));
    }

    @Test
    void directoriesMarkedForDeletionAreRemovedAtStartup() throws IOException {
        Path leftover = Files.createDirectories(dataDir.resolve("orders-0.4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f-delete"));
        Files.write(leftover.resolve("00000000000000000000.log"), new byte[100]);
        Files.write(leftover.resolve("00000000000000000000.index"), new byte[8]);

        LogManager manager = start();

        assertThat(leftover).doesNotExist();
        assertThat(manager.allLogs()).isEmpty();
        assertThat(fileNames(dataDir)).noneMatch(name -> name.endsWith("-delete"));
    }

    @Test
    void deleteLogRenamesTheDirectoryAtOnceAndRemovesItShortlyAfter() {
        LogManager manager = start();
        append(manager.getOrCreateLog(ORDERS_0, CONFIG), 5, 1);
        append(manager.getOrCreateLog(ORDERS_1, CONFIG), 1, 1);

        manager.deleteLog(ORDERS_0);

        assertThat(dataDir.resolve("orders-0")).doesNotExist();
        assertThat(manager.getLog(ORDERS_0)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fileNames(dataDir)).noneMatch(name -> name.startsWith("orders-0")));
        assertThat(readAll(manager.getLog(ORDERS_1).orElseThrow())).isEqualTo(valuesFor(0, 1));

        assertThat(manager.getOrCreateLog(ORDERS_0, CONFIG).logEndOffset()).isZero();
        manager.close();
        assertThat(start().getLog(ORDERS_0).orElseThrow().logEndOffset()).isZero();
    }

    static Stream<String> illegalTopicNames() {
        return Stream.of("../x", "..", ".", "a/b", "/abs", "a\\b", "%2e%2e", "%2e%2e%2fx", "", "with space", "tópico",
                "日本語", "nul\u0000byte", "line\nbreak", "x".repeat(250));
    }

    @ParameterizedTest
    @MethodSource("illegalTopicNames")
    void illegalTopicNamesAreRefusedAndNothingIsCreated(String topic) throws IOException {
        LogManager manager = start();
        List<String> dataBefore = fileNames(dataDir);
        List<String> rootBefore = fileNames(root);

        assertThatThrownBy(() -> manager.getOrCreateLog(new TopicPartition(topic, 0), CONFIG))
                .isInstanceOfSatisfying(TributaryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC_NAME));

        assertThat(fileNames(dataDir)).isEqualTo(dataBefore);
        assertThat(fileNames(root)).isEqualTo(rootBefore);
        assertThat(manager.allLogs()).isEmpty();
    }

    @Test
    void theLongestLegalTopicNameIsAccepted() {
        LogManager manager = start();
        String topic = "t".repeat(249);

        append(manager.getOrCreateLog(new TopicPartition(topic, 0), CONFIG), 1, 1);

        assertThat(dataDir.resolve(topic + "-0")).isDirectory();
    }

    @Test
    void directoriesThatAreNotPartitionsAreIgnored() throws IOException {
        List<String> strangers = List.of("lost+found", "notes", "orders-", "-1", "orders-x", "orders-1-", ".hidden",
                "orders-99999999999", "bad name-0");
        for (String name : strangers) {
            Files.write(Files.createDirectories(dataDir.resolve(name)).resolve("README"), new byte[] {1});
        }
        Files.write(dataDir.resolve("orders-7"), new byte[] {1});
        LogManager first = start();
        append(first.getOrCreateLog(ORDERS_1, CONFIG), 2, 1);
        first.close();

        LogManager manager = start();

        assertThat(manager.allLogs()).extracting(PartitionLog::topicPartition).containsExactly(ORDERS_1);
        assertThat(manager.failure()).isNull();
        for (String name : strangers) {
            assertThat(fileNames(dataDir.resolve(name))).as(name).containsExactly("README");
        }
        assertThat(dataDir.resolve("orders-7")).isRegularFile();
    }
}
