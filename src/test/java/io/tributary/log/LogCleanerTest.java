package io.tributary.log;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.log.record.TimestampType;
import io.tributary.log.segment.ChannelOpener;
import io.tributary.log.segment.LogFileNames;
import io.tributary.log.segment.LogSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LogCleanerTest {

    private static final TopicPartition TP = new TopicPartition("accounts", 0);
    private static final long DELETE_RETENTION_MS = 3_600_000;

    @TempDir
    Path root;

    private final MockTime time = new MockTime();
    private final List<FileChannel> channels = new CopyOnWriteArrayList<>();
    private final ChannelOpener opener = (path, options) -> {
        FileChannel channel = FileChannel.open(path, options);
        channels.add(channel);
        return channel;
    };
    private final LogConfig config = LogConfig.defaults().withOverrides(Map.of(
            LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.DELETE_RETENTION_MS, Long.toString(DELETE_RETENTION_MS),
            LogConfig.INDEX_INTERVAL_BYTES, "1"));
    private Path dir;
    private FilePartitionLog log;

    @BeforeEach
    void setUp() {
        dir = root.resolve(TP.toString());
        log = open(true, 0);
    }

    @AfterEach
    void tearDown() {
        if (!log.isClosed()) {
            log.close();
        }
    }

    @Test
    void latestRecordOfEachKeySurvivesWithItsOriginalOffset() {
        append(rec("k1", "a"), rec("k2", "b"), rec("k5", "x")); // 0-2
        append(rec("k1", "c"));                                  // 3
        log.roll();
        append(rec("k3", "d"));                                  // 4
        append(rec("k2", "e"), rec("k6", "y"));                  // 5-6
        log.roll();
        append(rec("k4", "f"));                                  // 7, active

        long removed = new LogCleaner().clean(log);

        assertThat(removed).isEqualTo(2);
        assertThat(contents()).containsExactly(
                Map.entry(2L, "k5=x"), Map.entry(3L, "k1=c"), Map.entry(4L, "k3=d"), Map.entry(5L, "k2=e"),
                Map.entry(6L, "k6=y"), Map.entry(7L, "k4=f"));
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(8);
    }

    @Test
    void aBatchThatKeepsEverythingIsCopiedByteForByteAndOneThatKeepsSomeIsRebuiltInPlace() {
        RecordBatchBuilder producer = new RecordBatchBuilder(0L, TimestampType.CREATE_TIME, 4_242L, (short) 3, 100, -1);
        producer.append(time.milliseconds(), utf8("k1"), utf8("old"));
        producer.append(time.milliseconds() + 5, utf8("k2"), utf8("kept"));
        producer.append(time.milliseconds() + 9, utf8("k3"), utf8("old"));
        log.append(producer.build(), 7).join();                                           // 0-2
        // A max timestamp the builder would not write for these records: a rebuilt batch would differ.
        MemoryRecords untouched = RecordBatchBuilder.withRecords(0, rec("k4", "untouched"), rec("k5", "untouched"));
        untouched.batches().iterator().next().setMaxTimestamp(TimestampType.CREATE_TIME, time.milliseconds() + 60_000);
        log.append(untouched, 0).join();                                                    // 3-4
        append(rec("k1", "new"), rec("k3", "new"));                                       // 5-6
        log.roll();
        ByteBuffer untouchedBefore = batches(3).get(0).buffer();

        new LogCleaner().clean(log);

        List<RecordBatch> batches = batches(0);
        assertThat(batches).hasSize(3);
        RecordBatch rebuilt = batches.get(0);
        rebuilt.ensureValid();
        assertThat(rebuilt.baseOffset()).isZero();
        assertThat(rebuilt.lastOffset()).isEqualTo(1);
        assertThat(rebuilt.recordCount()).isEqualTo(1);
        assertThat(rebuilt.producerId()).isEqualTo(4_242L);
        assertThat(rebuilt.producerEpoch()).isEqualTo((short) 3);
        assertThat(rebuilt.baseSequence()).isEqualTo(100);
        assertThat(rebuilt.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(rebuilt.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        Record survivor = rebuilt.iterator().next();
        assertThat(survivor.offset()).isEqualTo(1);
        assertThat(survivor.timestamp()).isEqualTo(time.milliseconds() + 5);
        assertThat(batches.get(1).buffer()).isEqualTo(untouchedBefore);
        assertThat(batches.get(1).maxTimestamp()).isEqualTo(time.milliseconds() + 60_000);
    }

    @Test
    void logAppendTimeBatchesKeepTheirTimestampTypeAndTime() {
        LogConfig appendTime = config.withOverrides(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        log.updateConfig(appendTime);
        append(rec("k1", "a"), rec("k2", "b"));
        long appendedAt = time.milliseconds();
        time.advance(1_000);
        append(rec("k1", "c"));
        log.roll();

        new LogCleaner().clean(log);

        RecordBatch rebuilt = batches(0).get(0);
        assertThat(rebuilt.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(rebuilt.maxTimestamp()).isEqualTo(appendedAt);
        assertThat(rebuilt.iterator().next().timestamp()).isEqualTo(appendedAt);
        assertThat(contents()).containsExactly(Map.entry(1L, "k2=b"), Map.entry(2L, "k1=c"));
    }

    @Test
    void recordsWithoutAKeyAreKept() {
        append(rec(null, "n1"), rec("k1", "a"));
        append(rec(null, "n2"), rec("k1", "b"));
        log.roll();

        assertThat(new LogCleaner().clean(log)).isEqualTo(1);

        assertThat(contents()).containsExactly(Map.entry(0L, "null=n1"), Map.entry(2L, "null=n2"),
                Map.entry(3L, "k1=b"));
    }

    @Test
    void tombstonesStayUntilDeleteRetentionHasPassedThenGo() {
        append(rec("k1", "a"), rec("k2", "b"));
        log.roll();
        append(rec("k1", null));
        log.roll();
        append(rec("k3", "c"));
        log.roll();
        LogCleaner cleaner = new LogCleaner();

        assertThat(cleaner.clean(log)).isEqualTo(1);
        assertThat(contents()).containsExactly(Map.entry(1L, "k2=b"), Map.entry(2L, "k1=null"), Map.entry(3L, "k3=c"));

        time.advance(DELETE_RETENTION_MS);
        assertThat(cleaner.clean(log)).isZero();
        assertThat(contents()).containsKey(2L);

        time.advance(1);
        assertThat(cleaner.clean(log)).isEqualTo(1);
        assertThat(contents()).containsExactly(Map.entry(1L, "k2=b"), Map.entry(3L, "k3=c"));
    }

    @Test
    void aSegmentLeftEmptyIsDeletedButTheFirstSegmentStaysToKeepTheLogStartOffset() {
        append(rec("k1", "a"));
        log.roll();
        append(rec("k2", "b"));
        log.roll();
        append(rec("k1", "c"), rec("k2", "d"));
        log.roll();
        append(rec("k3", "e"));
        assertThat(log.numberOfSegments()).isEqualTo(4);

        assertThat(new LogCleaner().clean(log)).isEqualTo(2);

        assertThat(log.segments().all()).extracting(LogSegment::baseOffset).containsExactly(0L, 2L, 4L);
        assertThat(log.segments().first().size()).isZero();
        assertThat(log.logStartOffset()).isZero();
        assertThat(contents()).containsExactly(Map.entry(2L, "k1=c"), Map.entry(3L, "k2=d"), Map.entry(4L, "k3=e"));
        assertThat(log.read(0, 1 << 20, Long.MAX_VALUE).records().records().iterator().next().offset()).isEqualTo(2);
    }

    @Test
    void theActiveSegmentIsNeitherCleanedNorUsedToClean() {
        append(rec("k1", "a"), rec("k2", "b"));
        append(rec("k2", "c"));
        log.roll();
        append(rec("k1", "d"), rec("k1", "e"));
        int activeSize = log.segments().active().size();

        assertThat(new LogCleaner().clean(log)).isEqualTo(1);

        assertThat(contents()).containsExactly(Map.entry(0L, "k1=a"), Map.entry(2L, "k2=c"), Map.entry(3L, "k1=d"),
                Map.entry(4L, "k1=e"));
        assertThat(log.segments().active().size()).isEqualTo(activeSize);
    }

    @Test
    void aReadAtARemovedOffsetReturnsTheNextSurvivingRecord() {
        for (int i = 0; i < 10; i++) {
            append(rec("k" + (i % 3), "v" + i));
        }
        log.roll();
        append(rec("other", "x"));

        new LogCleaner().clean(log);

        assertThat(contents()).containsExactly(Map.entry(7L, "k1=v7"), Map.entry(8L, "k2=v8"),
                Map.entry(9L, "k0=v9"), Map.entry(10L, "other=x"));
        for (long offset = 0; offset <= 7; offset++) {
            MemoryRecords records = log.read(offset, 1, Long.MAX_VALUE).records();
            assertThat(records.records().iterator().next().offset()).as("read at %d", offset).isEqualTo(7);
        }
        assertThat(log.read(9, 1, Long.MAX_VALUE).records().records().iterator().next().offset()).isEqualTo(9);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"clean shutdown", "crash, recovering everything", "crash, trusting the recovery point"})
    void reopeningKeepsTheCompactedData(String how) {
        fillWithOverwrites();
        new LogCleaner().clean(log);
        Map<Long, String> compacted = contents();
        long recoveryPoint = log.recoveryPoint();
        assertThat(recoveryPoint).isEqualTo(log.segments().active().baseOffset());

        boolean cleanShutdown = how.equals("clean shutdown");
        if (cleanShutdown) {
            log.close();
        } else {
            crash();
        }
        log = open(cleanShutdown, how.endsWith("everything") ? 0 : recoveryPoint);

        assertThat(contents()).isEqualTo(compacted);
        long lastOffset = compacted.keySet().stream().mapToLong(o -> o).max().orElseThrow();
        assertThat(append(rec("k9", "after"))).isEqualTo(lastOffset + 1);
        assertThat(new LogCleaner().clean(log)).isZero();
    }

    @ParameterizedTest(name = "crash at {0}")
    @EnumSource(value = LogCleaner.Step.class, names = {"SWAP_FILE_READY", "ORIGINAL_RENAMED"})
    void aCrashOnceTheSwapFileIsReadyEndsWithTheCompactedSegmentOnReopen(LogCleaner.Step crashAt) throws IOException {
        fillWithOverwrites();
        long secondBase = log.segments().all().get(1).baseOffset();
        Map<Long, String> expected = new LinkedHashMap<>(contents());
        expected.keySet().removeIf(offset -> offset < secondBase); // the first segment holds only overwritten keys
        LogCleaner cleaner = new LogCleaner(crashAt(crashAt));

        assertThatThrownBy(() -> cleaner.clean(log)).isInstanceOf(SimulatedCrash.class);
        assertThat(filesEndingWith(LogFileNames.SWAP_SUFFIX)).hasSize(1);
        crash();
        log = open(false, 0);

        assertThat(contents()).isEqualTo(expected);
        assertThat(filesEndingWith(LogFileNames.SWAP_SUFFIX, LogFileNames.CLEANED_SUFFIX, LogFileNames.DELETED_SUFFIX))
                .isEmpty();
    }

    @Test
    void aCleanedCopyLeftByACrashIsDiscardedAndTheOriginalIsIntact() throws IOException {
        fillWithOverwrites();
        Map<Long, String> original = contents();
        LogCleaner cleaner = new LogCleaner(crashAt(LogCleaner.Step.CLEANED_COPY_WRITTEN));

        assertThatThrownBy(() -> cleaner.clean(log)).isInstanceOf(SimulatedCrash.class);
        assertThat(filesEndingWith(LogFileNames.CLEANED_SUFFIX)).isNotEmpty();
        crash();
        log = open(false, 0);

        assertThat(contents()).isEqualTo(original);
        assertThat(filesEndingWith(LogFileNames.CLEANED_SUFFIX, LogFileNames.SWAP_SUFFIX)).isEmpty();
    }

    @Test
    void appendsAndRollsDuringARoundContinueAtTheRightOffsets() {
        fillWithOverwrites();
        long end = log.logEndOffset();
        AtomicBoolean appended = new AtomicBoolean();
        LogCleaner cleaner = new LogCleaner(step -> {
            if (step == LogCleaner.Step.CLEANED_COPY_WRITTEN && appended.compareAndSet(false, true)) {
                assertThat(append(rec("k1", "during"))).isEqualTo(end);
                log.roll();
                assertThat(append(rec("k2", "during"))).isEqualTo(end + 1);
            }
        });

        assertThat(cleaner.clean(log)).isPositive();

        assertThat(append(rec("k3", "after"))).isEqualTo(end + 2);
        assertThat(contents()).containsEntry(end, "k1=during").containsEntry(end + 1, "k2=during")
                .containsEntry(end + 2, "k3=after");
        assertThat(cleaner.clean(log)).isPositive(); // the rolled segment supersedes older k1 and k2
        assertThat(contents().values()).filteredOn(v -> v.startsWith("k1=")).containsExactly("k1=during");
    }

    @ParameterizedTest(name = "refilled and rolled: {0}")
    @ValueSource(booleans = {false, true})
    void aTruncationDuringARoundAbandonsItAndLeavesNoCleanedFiles(boolean refillAndRoll) throws IOException {
        fillWithOverwrites();
        LogSegment first = log.segments().first();
        LogCleaner cleaner = new LogCleaner(step -> {
            if (step == LogCleaner.Step.CLEANED_COPY_WRITTEN) {
                log.truncateTo(2); // into the first segment, the one being compacted: it becomes the active one
                if (refillAndRoll) { // and is an inactive segment again, the same object, with new contents
                    append(rec("k7", "new"));
                    log.roll();
                }
            }
        });

        assertThat(cleaner.clean(log)).isZero();

        assertThat(log.segments().first()).isSameAs(first);
        Map<Long, String> expected = new LinkedHashMap<>(Map.of(0L, "k0=s0-0", 1L, "k0=s0-0'"));
        if (refillAndRoll) {
            expected.put(2L, "k7=new");
        }
        assertThat(contents()).isEqualTo(expected);
        assertThat(filesEndingWith(LogFileNames.CLEANED_SUFFIX, LogFileNames.SWAP_SUFFIX)).isEmpty();
        append(rec("k0", "x"));
        log.roll();
        assertThat(new LogCleaner().clean(log)).isEqualTo(2);
    }

    @Test
    void aReaderHoldingTheReplacedSegmentFinishesBeforeItIsClosed() throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            log.close();
            LogEnvironment env = new LogEnvironment(time, new IoFailureGate(root), FlushPolicy.NONE, null, scheduler,
                    opener);
            log = FilePartitionLog.open(TP, dir, config.withOverrides(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "60000")),
                    log.recoveryPoint(), true, env);
            fillWithOverwrites();
            LogSegment held = log.segments().first();

            new LogCleaner().clean(log);

            assertThat(log.segments().first()).isNotSameAs(held);
            assertThat(held.logFile().toString()).endsWith(LogFileNames.DELETED_SUFFIX);
            assertThat(held.read(0, 1 << 20, held.size(), true).records()).extracting(Record::offset)
                    .startsWith(0L, 1L);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void appendsReadsAndRoundsRunTogether() throws Exception {
        log.updateConfig(config.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "2000")));
        int records = 1_500;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < records; i++) {
                    assertThat(append(rec("k" + (i % 20), "v" + i))).isEqualTo(i);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        LogCleaner cleaner = new LogCleaner();
        writer.start();
        long removed = 0;
        while (writer.isAlive()) {
            removed += cleaner.clean(log);
            // Every record read is the one appended at its offset: value vN at offset N, key k(N % 20).
            contents().forEach((offset, kv) -> assertThat(kv).isEqualTo("k" + (offset % 20) + "=v" + offset));
        }
        writer.join();
        assertThat(failure.get()).isNull();
        log.roll();
        removed += cleaner.clean(log);

        Map<Long, String> expected = new LinkedHashMap<>();
        for (long offset = records - 20; offset < records; offset++) {
            expected.put(offset, "k" + (offset % 20) + "=v" + offset);
        }
        assertThat(contents()).isEqualTo(expected);
        assertThat(removed).isEqualTo(records - 20);
        assertThat(log.logEndOffset()).isEqualTo(records);
    }

    @Test
    void logManagerCompactAllCleansOnlyCompactedTopics() {
        LogManagerConfig managerConfig = new LogManagerConfig(root.resolve("data"), LogConfig.defaults(),
                FlushPolicy.NONE, 1_000, 3_600_000, 3_600_000, 3_600_000);
        try (LogManager manager = new LogManager(managerConfig, topic -> managerTopicConfig(topic), time)) {
            manager.startup();
            FilePartitionLog compacted = fillWithOverwrites(manager, "compacted");
            FilePartitionLog deleted = fillWithOverwrites(manager, "deleted");
            Map<Long, String> uncompacted = contents(deleted);

            assertThat(manager.compactAll()).isEqualTo(20);

            assertThat(contents(compacted)).isEqualTo(compactedCopyOf(uncompacted, 24));
            assertThat(contents(deleted)).isEqualTo(uncompacted);
            assertThat(manager.compactAll()).isZero();
        }
    }

    @Test
    void logManagerCompactsOnItsSchedule() {
        LogManagerConfig managerConfig = new LogManagerConfig(root.resolve("data"), LogConfig.defaults(),
                FlushPolicy.NONE, 1_000, 3_600_000, 3_600_000, 20);
        try (LogManager manager = new LogManager(managerConfig, topic -> managerTopicConfig(topic), time)) {
            manager.startup();
            FilePartitionLog compacted = fillWithOverwrites(manager, "compacted");
            Map<Long, String> expected = compactedCopyOf(contents(compacted), 24);

            await().atMost(Duration.ofSeconds(10)).until(() -> contents(compacted).equals(expected));
        }
    }

    // ---- helpers

    /** Three inactive segments overwriting four keys, and an active one. */
    private void fillWithOverwrites() {
        fillWithOverwrites(log);
    }

    private FilePartitionLog fillWithOverwrites(LogManager manager, String topic) {
        FilePartitionLog l = (FilePartitionLog) manager.getOrCreateLog(new TopicPartition(topic, 0),
                managerTopicConfig(topic));
        fillWithOverwrites(l);
        return l;
    }

    /** Topic "deleted" has cleanup.policy=delete, the others compact; deleted files go at once. */
    private LogConfig managerTopicConfig(String topic) {
        return config.withOverrides(Map.of(LogConfig.CLEANUP_POLICY, topic.equals("deleted") ? "delete" : "compact",
                LogConfig.FILE_DELETE_DELAY_MS, "0"));
    }

    private void fillWithOverwrites(FilePartitionLog l) {
        for (int segment = 0; segment < 3; segment++) {
            for (int i = 0; i < 4; i++) {
                append(l, rec("k" + i, "s" + segment + "-" + i), rec("k" + i, "s" + segment + "-" + i + "'"));
            }
            l.roll();
        }
        append(l, rec("active", "x"));
    }

    /** What compaction leaves of {@code all}: the latest of each key below {@code activeBase}, and the rest. */
    private static Map<Long, String> compactedCopyOf(Map<Long, String> all, long activeBase) {
        Map<String, Long> latest = new HashMap<>();
        all.forEach((offset, kv) -> {
            if (offset < activeBase) {
                latest.put(kv.substring(0, kv.indexOf('=')), offset);
            }
        });
        Map<Long, String> expected = new LinkedHashMap<>();
        all.forEach((offset, kv) -> {
            if (offset >= activeBase || latest.get(kv.substring(0, kv.indexOf('='))).equals(offset)) {
                expected.put(offset, kv);
            }
        });
        return expected;
    }

    private FilePartitionLog open(boolean cleanShutdown, long recoveryPoint) {
        LogEnvironment env = new LogEnvironment(time, new IoFailureGate(root), FlushPolicy.NONE, null, null, opener);
        return FilePartitionLog.open(TP, dir, config, recoveryPoint, cleanShutdown, env);
    }

    /** Stops the log as a crash would: files closed, nothing more written or forced. */
    private void crash() {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        channels.clear();
    }

    private static Consumer<LogCleaner.Step> crashAt(LogCleaner.Step step) {
        return reached -> {
            if (reached == step) {
                throw new SimulatedCrash();
            }
        };
    }

    private List<Path> filesEndingWith(String... suffixes) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Stream.of(suffixes).anyMatch(p.getFileName().toString()::endsWith)).toList();
        }
    }

    private SimpleRecord rec(String key, String value) {
        return SimpleRecord.of(time.milliseconds(), utf8(key), utf8(value));
    }

    /** Appends one batch; returns its first offset. */
    private long append(SimpleRecord... records) {
        return append(log, records);
    }

    private static long append(FilePartitionLog l, SimpleRecord... records) {
        return l.append(RecordBatchBuilder.withRecords(0, records), 0).join().firstOffset();
    }

    private Map<Long, String> contents() {
        return contents(log);
    }

    /** Every record from the log start, by offset, as {@code key=value} ("null" for a missing one). */
    private static Map<Long, String> contents(FilePartitionLog l) {
        Map<Long, String> out = new LinkedHashMap<>();
        long next = l.logStartOffset();
        long end = l.logEndOffset();
        while (next < end) {
            MemoryRecords records = l.read(next, 256, end).records();
            if (records.sizeInBytes() == 0) {
                break;
            }
            for (RecordBatch batch : records.batches()) {
                for (Record r : batch) {
                    if (r.offset() >= next) {
                        out.put(r.offset(), string(r.keyBytes()) + "=" + string(r.valueBytes()));
                    }
                }
                next = batch.nextOffset();
            }
        }
        return out;
    }

    private List<RecordBatch> batches(long from) {
        List<RecordBatch> out = new ArrayList<>();
        log.read(from, Integer.MAX_VALUE, Long.MAX_VALUE).records().batches().forEach(out::add);
        long next = out.isEmpty() ? from : out.get(out.size() - 1).nextOffset();
        while (next < log.logEndOffset()) {
            List<RecordBatch> more = new ArrayList<>();
            log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE).records().batches().forEach(more::add);
            out.addAll(more);
            next = more.get(more.size() - 1).nextOffset();
        }
        return out;
    }

    private static String string(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class SimulatedCrash extends RuntimeException {
    }
}
