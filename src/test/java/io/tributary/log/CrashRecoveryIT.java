package io.tributary.log;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.segment.LogFileNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kill -9 in the middle of on-ack appends, then reopen: every append the child acknowledged is
 * there with the value written, offsets are dense from 0, and nothing lies past the log end.
 * Several rounds on one directory, each child continuing where recovery left the log.
 */
class CrashRecoveryIT {

    private static final int ROUNDS = 3;
    private static final int THREADS = 4;

    @TempDir
    Path tmp;

    /** Acknowledged values by partition and offset, over all rounds. */
    private final Map<Integer, Map<Long, String>> acknowledged = new HashMap<>();

    @Test
    void everyAcknowledgedAppendSurvivesAKillMidStream() throws Exception {
        Path dataDir = tmp.resolve("data");
        for (int round = 0; round < ROUNDS; round++) {
            int acksBeforeKill = 100 + ThreadLocalRandom.current().nextInt(300);
            int acks = runAndKill(dataDir, round, acksBeforeKill);
            assertThat(acks).isGreaterThanOrEqualTo(acksBeforeKill);

            LogManager reopened = new LogManager(OnAckAppender.managerConfig(dataDir), topic -> OnAckAppender.logConfig(),
                    Time.SYSTEM);
            reopened.startup();
            try {
                for (int p = 0; p < OnAckAppender.PARTITIONS; p++) {
                    verify(reopened, p);
                }
            } finally {
                reopened.close();
            }
        }
    }

    /** Runs a child until it has acknowledged {@code acksBeforeKill} appends, kills it, returns the acks read. */
    private int runAndKill(Path dataDir, int round, int acksBeforeKill) throws Exception {
        Process child = ChildJvm.start(tmp.resolve("child"), OnAckAppender.class, dataDir.toString(),
                Integer.toString(THREADS), Integer.toString(round));
        AtomicInteger acks = new AtomicInteger();
        Map<Integer, Map<Long, String>> seen = new HashMap<>();
        Thread reader = new Thread(() -> readAcks(child, seen, acks), "ack-reader");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(5))
                    .failFast("the child exited", () -> !child.isAlive())
                    .until(() -> acks.get() >= acksBeforeKill);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(20_000);
        }
        synchronized (seen) {
            seen.forEach((p, values) -> acknowledged.computeIfAbsent(p, k -> new HashMap<>()).putAll(values));
        }
        return acks.get();
    }

    private static void readAcks(Process child, Map<Integer, Map<Long, String>> seen, AtomicInteger acks) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length != 6 || !f[0].equals("ACK") || !f[5].equals("END")) {
                    continue;  // a line cut short by the kill, or not an acknowledgement
                }
                int partition = Integer.parseInt(f[1]);
                long first = Long.parseLong(f[2]);
                long last = Long.parseLong(f[3]);
                synchronized (seen) {
                    Map<Long, String> values = seen.computeIfAbsent(partition, k -> new HashMap<>());
                    for (long offset = first; offset <= last; offset++) {
                        values.put(offset, f[4] + "-" + (offset - first));
                    }
                }
                acks.incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void verify(LogManager manager, int p) throws IOException {
        TopicPartition tp = OnAckAppender.partition(p);
        Map<Long, String> expected = acknowledged.getOrDefault(p, Map.of());
        PartitionLog log = manager.getLog(tp).orElseThrow();
        long end = log.logEndOffset();
        assertThat(log.logStartOffset()).isZero();

        Map<Long, String> present = new HashMap<>();
        long next = 0;
        while (next < end) {
            MemoryRecords records = log.read(next, 64 * 1024, Long.MAX_VALUE).records();
            assertThat(records.sizeInBytes()).as("%s read at %d of %d", tp, next, end).isPositive();
            for (RecordBatch batch : records.batches()) {
                assertThat(batch.isValid()).as("CRC of the batch at %d", batch.baseOffset()).isTrue();
                assertThat(batch.baseOffset()).as("%s offsets are dense", tp).isEqualTo(next);
                for (Record r : batch) {
                    assertThat(r.offset()).isEqualTo(next);
                    present.put(next, new String(r.valueBytes(), StandardCharsets.UTF_8));
                    next++;
                }
            }
        }
        assertThat(next).isEqualTo(end);
        assertThat(log.read(end, 1024, Long.MAX_VALUE).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(end + 1, 1024, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(segmentBytesOnDisk(manager.dataDir().resolve(tp.toString())))
                .as("%s holds no bytes past its last whole batch", tp).isEqualTo(log.sizeInBytes());

        assertThat(expected.keySet()).as("%s acknowledged offsets below the log end %d", tp, end).allMatch(o -> o < end);
        expected.forEach((offset, value) -> assertThat(present.get(offset)).as("%s offset %d", tp, offset).isEqualTo(value));
    }

    private static long segmentBytesOnDisk(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(LogFileNames.LOG_SUFFIX)).toList()) {
                total += Files.size(file);
            }
        }
        return total;
    }
}
