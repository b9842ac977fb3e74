package io.tributary.bench.log;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.segment.LogFileNames;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One log of about {@link BenchOptions#logBytes()} in one partition (one segment at the default
 * 1 GiB segment size), built with batches of 1000 records, then per run: reopened after a clean
 * shutdown, read from the start, and reopened after a child JVM appending to it under on-ack was
 * killed with {@code kill -9}. Reopening is timed from the parent, from {@code new LogManager} to
 * the end of {@link LogManager#startup()}, when every log is open. After each kill the log is
 * truncated back to what was built and closed cleanly, so every run starts from the same log.
 */
final class ReopenBench {

    static final int READ_BYTES = 1024 * 1024;
    private static final TopicPartition TP = Workload.partition(0);
    private static final String RECOVERY_CHECKPOINT = "recovery-point-offset-checkpoint";
    private static final int CHILD_WRITERS = 8;
    private static final long CHILD_TIMEOUT_MS = 120_000;
    /** Read by nobody; keeps the JIT from dropping what the read loop computes. */
    static volatile long sink;

    private final Path dataDir;
    private final BenchOptions options;
    private long builtEndOffset;
    final Measurement cleanReopen = new Measurement("reopen after a clean shutdown");
    final Measurement crashReopen = new Measurement("reopen after kill -9 mid-append");
    final Measurement read;
    final List<String> crashNotes = new ArrayList<>();

    ReopenBench(Path dataDir, BenchOptions options) {
        this.dataDir = dataDir;
        this.options = options;
        this.read = new Measurement(String.format(Locale.ROOT, "read from the start, %d KiB per read", READ_BYTES / 1024));
    }

    static LogManager manager(Path dataDir, FlushPolicy policy) {
        return new LogManager(LogManagerConfig.of(dataDir, policy), topic -> LogConfig.defaults(), Time.SYSTEM);
    }

    /** Appends batches of 1000 records until the next would pass {@code logBytes - crashBytes}; closes cleanly. */
    void build() {
        long target = options.logBytes() - options.crashBytes();
        LogManager manager = manager(dataDir, FlushPolicy.NONE);
        manager.startup();
        try {
            PartitionLog log = manager.getOrCreateLog(TP, LogConfig.defaults());
            MemoryRecords batch = Workload.batch(1000, 7);
            while (log.sizeInBytes() + batch.sizeInBytes() <= target) {
                log.append(batch, 0).join();
            }
            builtEndOffset = log.logEndOffset();
        } finally {
            manager.close();
        }
    }

    long builtBytes() {
        return Workload.segmentBytes(dataDir);
    }

    /**
     * One untimed read of the whole log, so the reads measured run compiled code. Reopening gets no
     * warm-up: a broker reopens its logs in a fresh JVM.
     */
    void warmUpReads() {
        Opened opened = open();
        try {
            readAll(opened.log());
        } finally {
            opened.manager().close();
        }
    }

    /** Reopens the cleanly closed log (timed), then reads all of it (timed). */
    void reopenCleanAndRead() {
        Opened opened = open();
        try {
            cleanReopen.add(new Measurement.Run(opened.log().logEndOffset(), opened.log().sizeInBytes(), opened.seconds(),
                    opened.cpuSeconds()));
            read.add(readAll(opened.log()));
        } finally {
            opened.manager().close();
        }
    }

    private record Opened(LogManager manager, PartitionLog log, double seconds, double cpuSeconds) {
    }

    /** Opens the data directory as the broker does by default (on-ack), timing the manager's startup. */
    private Opened open() {
        double startCpu = Measurement.processCpuSeconds();
        long start = System.nanoTime();
        LogManager manager = manager(dataDir, FlushPolicy.ON_ACK);
        manager.startup();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Opened(manager, manager.getLog(TP).orElseThrow(), seconds, Measurement.processCpuSeconds() - startCpu);
    }

    /** Every record from the log start, each record's key and value touched. */
    static Measurement.Run readAll(PartitionLog log) {
        long next = log.logStartOffset();
        long end = log.logEndOffset();
        long records = 0;
        long bytes = 0;
        long touched = 0;
        double startCpu = Measurement.processCpuSeconds();
        long start = System.nanoTime();
        while (next < end) {
            MemoryRecords chunk = log.read(next, READ_BYTES, Long.MAX_VALUE).records();
            bytes += chunk.sizeInBytes();
            for (RecordBatch batch : chunk.batches()) {
                for (Record record : batch) {
                    ByteBuffer value = record.value();
                    touched += record.keySize() + value.get(0) + value.get(value.limit() - 1) + record.offset();
                    records++;
                }
                next = batch.nextOffset();
            }
        }
        long elapsed = System.nanoTime() - start;
        double cpu = Measurement.processCpuSeconds() - startCpu;
        sink = touched;
        if (records != end - log.logStartOffset()) {
            throw new IllegalStateException("Read " + records + " records, expected " + (end - log.logStartOffset()));
        }
        return new Measurement.Run(records, bytes, elapsed / 1e9, cpu);
    }

    /**
     * Runs the child until it has acknowledged {@code crashBytes}, kills it, reopens (timed),
     * then truncates the log back to what was built and closes it cleanly.
     */
    void crashAndReopen() throws IOException, InterruptedException {
        killMidAppend();
        long onDisk = Workload.segmentBytes(dataDir);
        long toScan = bytesRecoveryScans();
        Opened opened = open();
        try {
            PartitionLog log = opened.log();
            double seconds = opened.seconds();
            crashReopen.add(new Measurement.Run(log.logEndOffset(), toScan, seconds, opened.cpuSeconds()));
            crashNotes.add(String.format(Locale.ROOT, "%.0f ms: %.1f MiB on disk, %.1f MiB scanned, %d bytes cut",
                    seconds * 1e3, onDisk / 1048576.0, toScan / 1048576.0, onDisk - log.sizeInBytes()));
            log.truncateTo(builtEndOffset);
        } finally {
            opened.manager().close();
        }
    }

    private void killMidAppend() throws IOException, InterruptedException {
        Path stderr = options.scratch().resolve("crash-child-stderr.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashAppender.class.getName(),
                dataDir.toString(), Integer.toString(CHILD_WRITERS)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!child.waitFor(CHILD_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "crash-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        long acked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked < options.crashBytes() && (line = in.readLine()) != null) {
                if (line.startsWith("ACKED ")) {
                    acked = Long.parseLong(line.substring(6).trim());
                }
            }
            child.destroyForcibly();  // SIGKILL: appends are in flight
            child.waitFor();
        }
        if (acked < options.crashBytes()) {
            throw new IllegalStateException("The crash child stopped after " + acked + " bytes; see its stderr:\n"
                    + Files.readString(stderr));
        }
    }

    /**
     * The bytes recovery must scan, by the loader's rule: the last segment, and every segment that
     * may hold offsets at or after the recovery point written in the checkpoint.
     */
    private long bytesRecoveryScans() throws IOException {
        Map<TopicPartition, Long> points = new OffsetCheckpointFile(dataDir.resolve(RECOVERY_CHECKPOINT)).read()
                .orElse(Map.of());
        long recoveryPoint = points.getOrDefault(TP, 0L);
        Path dir = dataDir.resolve(TP.toString());
        List<Long> bases;
        try (Stream<Path> files = Files.list(dir)) {
            bases = files.map(f -> LogFileNames.baseOffsetOf(f.getFileName().toString(), LogFileNames.LOG_SUFFIX))
                    .filter(o -> o.isPresent()).map(o -> o.getAsLong()).sorted().toList();
        }
        long bytes = 0;
        for (int i = 0; i < bases.size(); i++) {
            if (i == bases.size() - 1 || bases.get(i + 1) > recoveryPoint) {
                bytes += Files.size(LogFileNames.logFile(dir, bases.get(i)));
            }
        }
        return bytes;
    }

    void delete() {
        Workload.deleteRecursively(dataDir);
    }
}
