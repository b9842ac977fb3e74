package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.checkpoint.LeaderEpochCheckpointFile;
import io.tributary.log.segment.LogFileNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static io.tributary.log.LogTestSupport.BATCH_BYTES;
import static io.tributary.log.LogTestSupport.TP;
import static io.tributary.log.LogTestSupport.append;
import static io.tributary.log.LogTestSupport.batch;
import static io.tributary.log.LogTestSupport.batchPositions;
import static io.tributary.log.LogTestSupport.config;
import static io.tributary.log.LogTestSupport.crash;
import static io.tributary.log.LogTestSupport.fileNames;
import static io.tributary.log.LogTestSupport.flipBitInValue;
import static io.tributary.log.LogTestSupport.readAll;
import static io.tributary.log.LogTestSupport.segmentFiles;
import static io.tributary.log.LogTestSupport.value;
import static io.tributary.log.LogTestSupport.valuesFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file log's own behaviour beyond the shared contract: rolling, reopening cleanly and after a
 * crash, how much of the log recovery scans, retention, delayed file deletion and timestamp
 * lookups across segments.
 */
class FilePartitionLogTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final List<FilePartitionLog> opened = new ArrayList<>();
    private ScheduledThreadPoolExecutor scheduler;

    @AfterEach
    void closeLogs() {
        opened.forEach(FilePartitionLog::close);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private FilePartitionLog open(LogConfig config, long recoveryPoint, boolean cleanShutdown) {
        return open(config, recoveryPoint, cleanShutdown, LogTestSupport.environment(time, dir));
    }

    private FilePartitionLog open(LogConfig config, long recoveryPoint, boolean cleanShutdown, LogEnvironment env) {
        FilePartitionLog log = FilePartitionLog.open(TP, dir, config, recoveryPoint, cleanShutdown, env);
        opened.add(log);
        return log;
    }

    private Path logFile(long baseOffset) {
        return LogFileNames.logFile(dir, baseOffset);
    }

    @Test
    void rollsWhenTheNextBatchWouldPassSegmentBytes() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);

        append(log, 11, time.milliseconds());

        assertThat(segmentFiles(dir)).containsExactly(0L, 3L, 6L, 9L);
        assertThat(log.numberOfSegments()).isEqualTo(4);
        for (long base : List.of(0L, 3L, 6L)) {
            assertThat(Files.size(logFile(base))).isEqualTo(3L * BATCH_BYTES);
        }
        assertThat(Files.size(logFile(9))).isEqualTo(2L * BATCH_BYTES);
        assertThat(readAll(log)).isEqualTo(valuesFor(0, 11));
    }

    @Test
    void rollsWhenTheIncomingTimestampIsMoreThanSegmentMsAfterTheFirstBatchOfTheSegment() throws IOException {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of(LogConfig.SEGMENT_MS, "1000"));
        FilePartitionLog log = open(config, 0, true);

        log.append(batch(0, 10_000), 0).join();
        log.append(batch(1, 10_999), 0).join();
        log.append(batch(2, 11_000), 0).join();  // exactly segment.ms after the first batch: no roll
        assertThat(segmentFiles(dir)).containsExactly(0L);

        log.append(batch(3, 11_001), 0).join();  // 1 ms after the previous batch, 1001 after the first
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L);

        log.append(batch(4, 5_000), 0).join();   // older than the segment's first batch: no roll
        log.append(batch(5, 12_001), 0).join();  // exactly segment.ms after 11_001
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L);
        log.append(batch(6, 12_002), 0).join();
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L, 6L);
        assertThat(readAll(log)).isEqualTo(valuesFor(0, 7));
    }

    @Test
    void rollsBySegmentMsOnTheBrokerClockWhenBatchesCarryNoTimestamp() throws IOException {
        LogConfig config = LogConfig.defaults().withOverrides(Map.of(LogConfig.SEGMENT_MS, "1000"));
        FilePartitionLog log = open(config, 0, true);

        log.append(batch(0, -1), 0).join();
        time.advance(1000);
        log.append(batch(1, -1), 0).join();
        assertThat(segmentFiles(dir)).containsExactly(0L);

        time.advance(1);
        log.append(batch(2, -1), 0).join();
        assertThat(segmentFiles(dir)).containsExactly(0L, 2L);
    }

    @Test
    void cleanCloseAndReopenKeepsEveryRecordAndLoadsTheIndexesWithoutRecovery() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);
        append(log, 11, time.milliseconds());
        log.close();
        Map<String, byte[]> indexes = indexFiles();
        assertThat(indexes).hasSize(8);

        FilePartitionLog reopened = open(config(3), 11, true);

        assertThat(readAll(reopened)).isEqualTo(valuesFor(0, 11));
        assertThat(reopened.logStartOffset()).isZero();
        assertThat(reopened.logEndOffset()).isEqualTo(11);
        assertThat(reopened.recoveryPoint()).isEqualTo(11);
        assertThat(reopened.numberOfSegments()).isEqualTo(4);
        // Recovery deletes a segment's index files and rebuilds them in memory (they are written
        // again at the next roll or close); byte-identical files still in place mean none ran.
        assertThat(indexFiles()).containsOnlyKeys(indexes.keySet())
                .allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(indexes.get(name)));

        append(reopened, 1, time.milliseconds());
        assertThat(readAll(reopened)).isEqualTo(valuesFor(0, 12));
    }

    /** The directory's files but the leader epoch checkpoint. */
    private List<String> segmentFileNames() throws IOException {
        return fileNames(dir).stream().filter(n -> !n.equals(LeaderEpochCheckpointFile.FILE_NAME)).toList();
    }

    private Map<String, byte[]> indexFiles() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : fileNames(dir)) {
            if (name.endsWith(LogFileNames.INDEX_SUFFIX) || name.endsWith(LogFileNames.TIME_INDEX_SUFFIX)) {
                files.put(name, Files.readAllBytes(dir.resolve(name)));
            }
        }
        return files;
    }

    @Test
    void reopenAfterACrashRecoversTheWholeLogFromRecoveryPointZero() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);
        append(log, 11, time.milliseconds());
        crash(log);

        FilePartitionLog reopened = open(config(3), 0, false);

        assertThat(readAll(reopened)).isEqualTo(valuesFor(0, 11));
        assertThat(reopened.logEndOffset()).isEqualTo(11);
        assertThat(reopened.recoveryPoint()).isEqualTo(11);
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L, 6L, 9L);
        append(reopened, 2, time.milliseconds());
        reopened.close();

        FilePartitionLog again = open(config(3), 13, true);
        assertThat(readAll(again)).isEqualTo(valuesFor(0, 13));
    }

    @Test
    void recoveryFromZeroChecksEverySegmentAndCutsAtTheFirstBadCrc() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);
        append(log, 11, time.milliseconds());
        crash(log);
        flipBitInValue(logFile(0), batchPositions(logFile(0)).get(1));

        FilePartitionLog reopened = open(config(3), 0, false);

        assertThat(reopened.logEndOffset()).isEqualTo(1);
        assertThat(readAll(reopened)).isEqualTo(valuesFor(0, 1));
        assertThat(segmentFiles(dir)).containsExactly(0L);
    }

    /**
     * The observable: a record whose CRC no longer matches is cut by a scan, so damage in a
     * segment below the recovery point that is still there (and still readable, damaged) after the
     * reopen shows that segment was opened through its indexes and not scanned, while the same
     * kind of damage above the recovery point is found and cut.
     */
    @Test
    void segmentsBeforeTheRecoveryPointAreNotScanned() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);
        append(log, 11, time.milliseconds());
        log.close();
        flipBitInValue(logFile(0), batchPositions(logFile(0)).get(1));
        flipBitInValue(logFile(6), batchPositions(logFile(6)).get(1));
        long damagedSegmentSize = Files.size(logFile(0));

        FilePartitionLog reopened = open(config(3), 6, false);

        assertThat(reopened.logEndOffset()).isEqualTo(7);
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L, 6L);
        assertThat(Files.size(logFile(0))).isEqualTo(damagedSegmentSize);
        List<LogTestSupport.OffsetValue> survivors = readAll(reopened);
        assertThat(survivors).hasSize(7);
        assertThat(survivors.get(1).value()).isNotEqualTo(value(1));
        assertThat(survivors.subList(2, 7)).isEqualTo(valuesFor(2, 7));
        assertThat(Files.size(logFile(6))).isEqualTo(BATCH_BYTES);
    }

    @Test
    void retentionByTimeDeletesWholeOldSegmentsButNeverTheActiveOne() {
        LogConfig config = config(3).withOverrides(Map.of(LogConfig.RETENTION_MS, "1000"));
        FilePartitionLog log = open(config, 0, true);
        long now = time.milliseconds();
        append(log, 3, now - 5_000);
        append(log, 3, now - 3_000);
        append(log, 3, now - 500);
        append(log, 2, now - 5_000);

        assertThat(LogRetention.deleteOldSegments(log)).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.numberOfSegments()).isEqualTo(2);

        time.advance(10_000);
        assertThat(LogRetention.deleteOldSegments(log)).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(9);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(readAll(log)).isEqualTo(valuesFor(9, 11));
        assertThatThrownBy(() -> log.read(8, 1024, Long.MAX_VALUE))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
                    assertThat(e.logStartOffset()).isEqualTo(9);
                    assertThat(e.logEndOffset()).isEqualTo(11);
                });
        assertThat(LogRetention.deleteOldSegments(log)).isZero();
        append(log, 1, time.milliseconds());
        assertThat(readAll(log)).isEqualTo(valuesFor(9, 12));
    }

    @Test
    void retentionBySizeDeletesOldestSegmentsWhileTheRestStillMeetsRetentionBytes() {
        LogConfig config = config(3).withOverrides(Map.of(LogConfig.RETENTION_BYTES, Integer.toString(5 * BATCH_BYTES)));
        FilePartitionLog log = open(config, 0, true);
        append(log, 11, time.milliseconds());

        assertThat(LogRetention.deleteOldSegments(log)).isEqualTo(2);

        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.sizeInBytes()).isEqualTo(5L * BATCH_BYTES);
        assertThat(readAll(log)).isEqualTo(valuesFor(6, 11));
        assertThatThrownBy(() -> log.read(0, 1024, Long.MAX_VALUE))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));

        log.updateConfig(config.withOverrides(Map.of(LogConfig.RETENTION_BYTES, "0")));
        assertThat(LogRetention.deleteOldSegments(log)).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(9);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(readAll(log)).isEqualTo(valuesFor(9, 11));
    }

    @Test
    void deletedSegmentFilesAreRenamedAndRemovedAfterTheFileDeleteDelay() throws Exception {
        scheduler = new ScheduledThreadPoolExecutor(1);
        LogConfig config = config(3).withOverrides(Map.of(LogConfig.RETENTION_BYTES, "0",
                LogConfig.FILE_DELETE_DELAY_MS, "60000"));
        FilePartitionLog log = open(config, 0, true,
                new LogEnvironment(time, new IoFailureGate(dir), FlushPolicy.NONE, null, scheduler));
        append(log, 8, time.milliseconds());

        assertThat(LogRetention.deleteOldSegments(log)).isEqualTo(2);

        assertThat(segmentFileNames()).containsExactlyInAnyOrder(
                "00000000000000000000.log.deleted", "00000000000000000000.index.deleted",
                "00000000000000000000.timeindex.deleted",
                "00000000000000000003.log.deleted", "00000000000000000003.index.deleted",
                "00000000000000000003.timeindex.deleted",
                "00000000000000000006.log");
        assertThat(scheduler.getQueue()).hasSize(2).allSatisfy(task ->
                assertThat(((RunnableScheduledFuture<?>) task).getDelay(TimeUnit.MILLISECONDS)).isBetween(50_000L, 60_000L));

        for (Runnable task : new ArrayList<>(scheduler.getQueue())) {
            task.run();  // what the scheduler does when the delay is over
        }
        assertThat(segmentFileNames()).containsExactly("00000000000000000006.log");
        assertThat(readAll(log)).isEqualTo(valuesFor(6, 8));
    }

    enum Reopen { NONE, CLEAN, AFTER_CRASH }

    @ParameterizedTest
    @EnumSource(Reopen.class)
    void offsetForTimestampFindsTheFirstOffsetAtOrAfterTheTimeAcrossSegments(Reopen reopen) {
        FilePartitionLog log = open(config(3), 0, true);
        long[] timestamps = {100, 200, 300, 400, 900, 500, 600, 700, 800, 1000, 1100};
        for (int offset = 0; offset < timestamps.length; offset++) {
            log.append(batch(offset, timestamps[offset]), 0).join();
        }
        switch (reopen) {
            case CLEAN -> {
                log.close();
                log = open(config(3), 11, true);
            }
            case AFTER_CRASH -> {
                crash(log);
                log = open(config(3), 0, false);
            }
            default -> { }
        }

        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(100, 0));
        assertThat(log.offsetForTimestamp(250)).contains(new TimestampOffset(300, 2));
        assertThat(log.offsetForTimestamp(450)).contains(new TimestampOffset(900, 4));
        assertThat(log.offsetForTimestamp(550)).contains(new TimestampOffset(900, 4));
        assertThat(log.offsetForTimestamp(901)).contains(new TimestampOffset(1000, 9));
        assertThat(log.offsetForTimestamp(1100)).contains(new TimestampOffset(1100, 10));
        assertThat(log.offsetForTimestamp(1101)).isEmpty();
    }

    @Test
    void leaderEpochsSurviveReopenAndAreCutWithACorruptTail() throws IOException {
        FilePartitionLog log = open(config(3), 0, true);
        log.append(LogTestSupport.batch(0, time.milliseconds()), 1).join();
        log.append(LogTestSupport.batch(0, time.milliseconds()), 2).join();
        log.append(LogTestSupport.batch(0, time.milliseconds()), 3).join();
        crash(log);
        try (var channel = java.nio.channels.FileChannel.open(logFile(0), java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(logFile(0)) - 1);
        }

        FilePartitionLog reopened = open(config(3), 0, false);

        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(reopened.latestEpoch()).isEqualTo(2);
        assertThat(reopened.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 1));
        assertThat(reopened.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(2, 2));
    }
}
