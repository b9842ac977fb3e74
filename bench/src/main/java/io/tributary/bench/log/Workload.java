package io.tributary.bench.log;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.TimestampType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What every case appends: batches of records with no key and a 100-byte value (random bytes, so
 * nothing about them is special), under create time; plus the scratch-file chores the cases share.
 */
final class Workload {

    static final int VALUE_BYTES = 100;
    static final String TOPIC = "bench";

    private Workload() {
    }

    static TopicPartition partition(int n) {
        return new TopicPartition(TOPIC, n);
    }

    /** One batch of {@code records} records; every call gives fresh bytes (appends rewrite offsets in place). */
    static MemoryRecords batch(int records, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RecordBatchBuilder builder = new RecordBatchBuilder(0, TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, RecordBatch.NO_PARTITION_LEADER_EPOCH,
                records * (VALUE_BYTES + 16) + RecordBatch.RECORD_BATCH_OVERHEAD);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[VALUE_BYTES];
            random.nextBytes(value);
            builder.append(now, null, value);
        }
        return builder.build();
    }

    /**
     * Drops the contents of every segment file under {@code dir} without writing them to the
     * device: a case's bytes are of no further use, and forcing gigabytes at close would only slow
     * the run down and leave the disk busy for the next case. Used before a manager is closed.
     */
    static void discardSegments(Path dir) {
        forEachFile(dir, file -> {
            if (file.getFileName().toString().endsWith(".log")) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
            }
        });
    }

    /**
     * Runs {@code sync} and waits for it, so the write-back of earlier cases (bytes still in flight
     * to the device) does not slow the fsyncs of the next one. Best effort: without a {@code sync}
     * command the case just runs.
     */
    static void settleDevice() throws InterruptedException {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            // no sync command: nothing to wait for
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sum of the sizes of the {@code .log} files under {@code dir}. */
    static long segmentBytes(Path dir) {
        long[] total = {0};
        forEachFile(dir, file -> {
            if (file.getFileName().toString().endsWith(".log")) {
                total[0] += Files.size(file);
            }
        });
        return total[0];
    }

    private interface FileAction {
        void accept(Path file) throws IOException;
    }

    private static void forEachFile(Path dir, FileAction action) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                action.accept(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
