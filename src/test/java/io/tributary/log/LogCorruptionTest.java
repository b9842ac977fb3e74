package io.tributary.log;

import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogFileNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.LogTestSupport.BATCH_BYTES;
import static io.tributary.log.LogTestSupport.TP;
import static io.tributary.log.LogTestSupport.batch;
import static io.tributary.log.LogTestSupport.batchPositions;
import static io.tributary.log.LogTestSupport.crash;
import static io.tributary.log.LogTestSupport.fileNames;
import static io.tributary.log.LogTestSupport.flipBitInValue;
import static io.tributary.log.LogTestSupport.readAll;
import static io.tributary.log.LogTestSupport.segmentFiles;
import static io.tributary.log.LogTestSupport.valuesFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damage on disk, then a reopen: exactly the records before the damage survive, offsets stay dense,
 * the log end is right, appends continue there, and the repaired log reopens cleanly.
 *
 * <p>Every case starts from the same log: 12 one-record batches in segments of three
 * ({@code 0 [0,1,2]}, {@code 3 [3,4,5]}, {@code 6 [6,7,8]}, {@code 9 [9,10,11]}), record {@code n}
 * stamped {@code base + 10n}, an index entry for every batch after the first of each segment. Damage to the log data is applied as
 * after a crash with the damage past the recovery point (the region a restart must scan); damage
 * to index files also after a clean shutdown, where the indexes are trusted unless they make no
 * sense.
 */
class LogCorruptionTest {

    private static final int RECORDS = 12;
    private static final LogConfig CONFIG = LogTestSupport.config(3)
            .withOverrides(Map.of(LogConfig.RETENTION_MS, Long.toString(24 * 3600 * 1000L)));

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final long baseTimestamp = time.milliseconds() - 100_000;
    private final List<FilePartitionLog> opened = new ArrayList<>();

    @FunctionalInterface
    interface Damage {
        void apply(Path dir) throws IOException;
    }

    enum Shutdown { CLEAN, CRASH }

    @AfterEach
    void closeLogs() {
        opened.forEach(FilePartitionLog::close);
    }

    @BeforeEach
    void writeTheLog() {
        FilePartitionLog log = open(0, true);
        for (int offset = 0; offset < RECORDS; offset++) {
            log.append(batch(offset, timestamp(offset)), 0).join();
        }
    }

    private long timestamp(long offset) {
        return baseTimestamp + 10 * offset;
    }

    private FilePartitionLog open(long recoveryPoint, boolean cleanShutdown) {
        FilePartitionLog log = FilePartitionLog.open(TP, dir, CONFIG, recoveryPoint, cleanShutdown,
                LogTestSupport.environment(time, dir));
        opened.add(log);
        return log;
    }

    private void shutDown(Shutdown shutdown) {
        FilePartitionLog log = opened.get(0);
        if (shutdown == Shutdown.CLEAN) {
            log.close();
        } else {
            crash(log);
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> damage() {
        return Stream.of(
                // damage to the data, in the region a restart after a crash scans
                args("garbage appended to the tail", Shutdown.CRASH, 9,
                        d -> appendBytes(log(d, 9), filled(100, (byte) 0xAB)), 12, 0, 3, 6, 9),
                args("zeros appended to the tail", Shutdown.CRASH, 9,
                        d -> appendBytes(log(d, 9), new byte[4096]), 12, 0, 3, 6, 9),
                args("a stale copy of an earlier batch appended to the tail", Shutdown.CRASH, 9,
                        d -> appendBytes(log(d, 9), Arrays.copyOf(Files.readAllBytes(log(d, 9)), BATCH_BYTES)), 12, 0, 3, 6, 9),
                args("a bit flipped in a record in the middle of the last segment", Shutdown.CRASH, 9,
                        d -> flipBitInValue(log(d, 9), position(d, 9, 1)), 10, 0, 3, 6, 9),
                args("a bit flipped in a record in the middle of an earlier segment", Shutdown.CRASH, 3,
                        d -> flipBitInValue(log(d, 3), position(d, 3, 1)), 4, 0, 3),
                args("a bit flipped in the first record of an earlier segment", Shutdown.CRASH, 0,
                        d -> flipBitInValue(log(d, 6), position(d, 6, 0)), 6, 0, 3, 6),
                args("the last batch torn (file cut mid-batch)", Shutdown.CRASH, 9,
                        d -> truncate(log(d, 9), 2L * BATCH_BYTES + BATCH_BYTES / 2), 11, 0, 3, 6, 9),
                args("the last batch torn inside its length field", Shutdown.CRASH, 9,
                        d -> truncate(log(d, 9), 2L * BATCH_BYTES + 5), 11, 0, 3, 6, 9),
                args("an earlier segment cut mid-batch", Shutdown.CRASH, 3,
                        d -> truncate(log(d, 3), BATCH_BYTES + BATCH_BYTES / 2), 4, 0, 3),
                // damage a clean shutdown's trusted indexes must not hide
                args("garbage appended to the tail after a clean shutdown", Shutdown.CLEAN, 12,
                        d -> appendBytes(log(d, 9), filled(100, (byte) 0xAB)), 12, 0, 3, 6, 9),
                args("the last batch torn after a clean shutdown", Shutdown.CLEAN, 12,
                        d -> truncate(log(d, 9), 2L * BATCH_BYTES + BATCH_BYTES / 2), 11, 0, 3, 6, 9),
                args("the last segment cut at its last indexed batch after a clean shutdown", Shutdown.CLEAN, 12,
                        d -> truncate(log(d, 9), 2L * BATCH_BYTES), 11, 0, 3, 6, 9),
                // damage to index files
                args(".index of an earlier segment truncated to a non-multiple of 8", Shutdown.CLEAN, 12,
                        d -> truncate(index(d, 3), 13), 12, 0, 3, 6, 9),
                args(".index of the last segment truncated to a non-multiple of 8", Shutdown.CLEAN, 12,
                        d -> truncate(index(d, 9), 5), 12, 0, 3, 6, 9),
                args(".index of an earlier segment truncated, after a crash", Shutdown.CRASH, 3,
                        d -> truncate(index(d, 3), 13), 12, 0, 3, 6, 9),
                args(".index of an earlier segment deleted", Shutdown.CLEAN, 12,
                        d -> Files.delete(index(d, 3)), 12, 0, 3, 6, 9),
                args(".index of the last segment deleted", Shutdown.CLEAN, 12,
                        d -> Files.delete(index(d, 9)), 12, 0, 3, 6, 9),
                args(".index of an earlier segment deleted, after a crash below the recovery point", Shutdown.CRASH, 9,
                        d -> Files.delete(index(d, 3)), 12, 0, 3, 6, 9),
                args(".timeindex garbage that is not a whole number of entries", Shutdown.CLEAN, 12,
                        d -> Files.write(timeIndex(d, 3), filled(17, (byte) 0x5A)), 12, 0, 3, 6, 9),
                args(".timeindex garbage: one entry pointing past the segment", Shutdown.CLEAN, 12,
                        d -> Files.write(timeIndex(d, 3), timeIndexEntry(Long.MAX_VALUE / 2, 1_000)), 12, 0, 3, 6, 9),
                args(".timeindex garbage: one entry with a timestamp no record has", Shutdown.CLEAN, 12,
                        d -> Files.write(timeIndex(d, 3), timeIndexEntry(5, 1)), 12, 0, 3, 6, 9),
                args(".timeindex of the last segment deleted", Shutdown.CLEAN, 12,
                        d -> Files.delete(timeIndex(d, 9)), 12, 0, 3, 6, 9));
    }

    private static org.junit.jupiter.params.provider.Arguments args(String name, Shutdown shutdown, long recoveryPoint,
                                                                    Damage damage, long expectedEnd, long... segments) {
        return org.junit.jupiter.params.provider.Arguments.of(name, shutdown, recoveryPoint, damage, expectedEnd,
                Arrays.stream(segments).boxed().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damage")
    void reopenKeepsExactlyTheRecordsBeforeTheDamage(String name, Shutdown shutdown, long recoveryPoint, Damage damage,
                                                     long expectedEnd, List<Long> expectedSegments) throws IOException {
        shutDown(shutdown);
        damage.apply(dir);

        FilePartitionLog log = open(recoveryPoint, shutdown == Shutdown.CLEAN);

        assertSurvivors(log, expectedEnd);
        assertThat(segmentFiles(dir)).isEqualTo(expectedSegments);
        assertThat(LogRetention.deleteOldSegments(log)).as("segments retention deletes").isZero();

        log.append(batch(expectedEnd, timestamp(expectedEnd)), 0).join();
        assertSurvivors(log, expectedEnd + 1);
        log.close();

        FilePartitionLog reopened = open(expectedEnd + 1, true);
        assertSurvivors(reopened, expectedEnd + 1);

        int segments = reopened.numberOfSegments();
        time.advance(2 * 24 * 3600 * 1000L);
        assertThat(LogRetention.deleteOldSegments(reopened)).as("segments past retention").isEqualTo(segments - 1);
    }

    private void assertSurvivors(FilePartitionLog log, long end) {
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(readAll(log)).isEqualTo(valuesFor(0, end));
        for (long offset = 0; offset < end; offset++) {
            assertThat(log.offsetForTimestamp(timestamp(offset)))
                    .as("offset for the timestamp of %d", offset)
                    .contains(new TimestampOffset(timestamp(offset), offset));
        }
        assertThat(log.offsetForTimestamp(timestamp(end))).isEmpty();
    }

    @Test
    void anInterruptedSwapIsCompletedOnReopen() throws IOException {
        shutDown(Shutdown.CLEAN);
        // A compaction of segment 3 that kept offsets 4 and 5 and was renamed .swap, but not yet
        // renamed over the original, when the broker stopped.
        byte[] original = Files.readAllBytes(log(dir, 3));
        Files.write(dir.resolve("00000000000000000003.log.swap"), Arrays.copyOfRange(original, BATCH_BYTES, original.length));
        Files.write(dir.resolve("00000000000000000003.index.swap"), new byte[8]);

        FilePartitionLog log = open(12, true);

        assertThat(fileNames(dir)).noneMatch(name -> name.endsWith(LogFileNames.SWAP_SUFFIX));
        List<LogTestSupport.OffsetValue> expected = new ArrayList<>(valuesFor(0, 3));
        expected.addAll(valuesFor(4, 12));
        assertThat(readAll(log)).isEqualTo(expected);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.offsetForTimestamp(timestamp(3))).contains(new TimestampOffset(timestamp(4), 4));
        assertThat(log.append(batch(12, timestamp(12)), 0).join().firstOffset()).isEqualTo(12);
    }

    @Test
    void cleanedDeletedAndTemporaryFilesLeftBehindAreRemovedOnReopen() throws IOException {
        shutDown(Shutdown.CRASH);
        List<String> leftovers = List.of("00000000000000000003.log.cleaned", "00000000000000000003.index.cleaned",
                "00000000000000000000.log.deleted", "00000000000000000000.index.deleted",
                "00000000000000000000.timeindex.deleted", "00000000000000000042.log.deleted",
                "00000000000000000006.index.tmp", "00000000000000000077.index", "00000000000000000077.timeindex");
        for (String name : leftovers) {
            Files.write(dir.resolve(name), filled(200, (byte) 0x11));
        }

        FilePartitionLog log = open(0, false);

        assertThat(fileNames(dir)).doesNotContainAnyElementsOf(leftovers);
        assertThat(segmentFiles(dir)).containsExactly(0L, 3L, 6L, 9L);
        assertSurvivors(log, 12);
    }

    private static Path log(Path dir, long base) {
        return LogFileNames.logFile(dir, base);
    }

    private static Path index(Path dir, long base) {
        return LogFileNames.indexFile(dir, base);
    }

    private static Path timeIndex(Path dir, long base) {
        return LogFileNames.timeIndexFile(dir, base);
    }

    private static int position(Path dir, long base, int batch) throws IOException {
        return batchPositions(log(dir, base)).get(batch);
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] timeIndexEntry(long timestamp, int relativeOffset) {
        return ByteBuffer.allocate(12).putLong(timestamp).putInt(relativeOffset).array();
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            assertThat(channel.size()).isGreaterThan(size);
            channel.truncate(size);
        }
    }
}
