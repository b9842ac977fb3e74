package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.Time;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.segment.ChannelOpener;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a data directory and every partition log in it.
 *
 * <p>On disk: one directory per partition, {@code <topic>-<partition>}; a {@code .lock} file held
 * with an OS lock while the directory is open, so two processes can never share it; the
 * {@code recovery-point-offset-checkpoint}; and {@code .clean-shutdown}, written last by a clean
 * close and removed once the logs are loaded. Without that marker the previous run crashed, and
 * segments past each log's recovery point are scanned and repaired on open. Deleted partitions are
 * renamed {@code <topic>-<partition>.<id>-delete} at once and removed in the background.
 *
 * <p>Background work runs on one scheduler thread: the interval flush, recovery-point checkpoints,
 * retention and compaction. Thread safety: thread-safe.
 */
public final class LogManager implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    private static final String DELETE_DIR_SUFFIX = "-delete";
    /**
     * Data directories locked by a manager in this JVM. POSIX releases every lock a process holds
     * on a file as soon as any descriptor of that file is closed, so a second manager here must be
     * refused before it opens (and, failing, closes) a channel of its own on the lock file.
     */
    private static final Set<Path> LOCKED_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final LogManagerConfig config;
    private final Function<String, LogConfig> topicConfigs;
    private final Time time;
    private final ChannelOpener channelOpener;
    private final IoFailureGate gate;
    private final OffsetCheckpointFile recoveryCheckpoint;
    private final ConcurrentHashMap<TopicPartition, FilePartitionLog> logs = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private ScheduledExecutorService scheduler;
    private LogFlusher flusher;
    private volatile LogCleaner cleaner;
    private volatile LogEnvironment env;
    private FileChannel lockChannel;
    private FileLock lock;
    private Path lockedDirectory;
    private volatile boolean started;

    /**
     * @param topicConfigs the settings of a topic by name (overrides applied), consulted when a log
     *                     is opened at startup
     */
    public LogManager(LogManagerConfig config, Function<String, LogConfig> topicConfigs, Time time) {
        this(config, topicConfigs, time, ChannelOpener.DEFAULT);
    }

    /** As above, opening segment files through {@code channelOpener} (fault-injection tests). */
    public LogManager(LogManagerConfig config, Function<String, LogConfig> topicConfigs, Time time,
                      ChannelOpener channelOpener) {
        this.channelOpener = channelOpener;
        this.config = config;
        this.topicConfigs = topicConfigs;
        this.time = time;
        this.gate = new IoFailureGate(config.dataDir());
        this.recoveryCheckpoint = new OffsetCheckpointFile(config.dataDir().resolve(RECOVERY_POINT_CHECKPOINT));
    }

    /** Locks the data directory, loads (and if needed recovers) every log, starts background work. */
    public synchronized void startup() {
        if (started) {
            return;
        }
        try {
            Files.createDirectories(config.dataDir());
            acquireLock();
            java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "tributary-log-scheduler");
                t.setDaemon(true);
                return t;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler = executor;
            flusher = config.flushPolicy() == FlushPolicy.ON_ACK ? new LogFlusher("tributary-log-flusher") : null;
            env = new LogEnvironment(time, gate, config.flushPolicy(), flusher, scheduler, channelOpener);
            cleaner = new LogCleaner();
            loadLogs();
            scheduleBackgroundWork();
            started = true;
        } catch (IOException e) {
            abandonStartup();
            throw gate.fail("starting up", e);
        } catch (RuntimeException e) {
            abandonStartup();
            throw e;
        }
    }

    private void acquireLock() throws IOException {
        Path directory = config.dataDir().toRealPath();
        if (!LOCKED_DIRECTORIES.add(directory)) {
            throw new IllegalStateException("Data directory " + config.dataDir()
                    + " is in use by another log manager in this process (" + LOCK_FILE + " is locked)");
        }
        try {
            lockChannel = FileChannel.open(config.dataDir().resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("Data directory " + config.dataDir()
                        + " is in use by another Tributary process (" + LOCK_FILE + " is locked)");
            }
            lockedDirectory = directory;
        } finally {
            if (lockedDirectory == null) {
                LOCKED_DIRECTORIES.remove(directory);
            }
        }
    }

    private void loadLogs() throws IOException {
        Path marker = config.dataDir().resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        Map<TopicPartition, Long> recoveryPoints = readRecoveryPoints();
        long started = time.nanoseconds();
        for (Path dir : list(config.dataDir())) {
            String name = dir.getFileName().toString();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            if (name.endsWith(DELETE_DIR_SUFFIX)) {
                deleteRecursively(dir);
                continue;
            }
            Optional<TopicPartition> tp = parseDirectoryName(name);
            if (tp.isEmpty()) {
                LOG.warn("Ignoring {}: not a partition directory", dir);
                continue;
            }
            LogConfig logConfig = topicConfigs.apply(tp.get().topic());
            logs.put(tp.get(), FilePartitionLog.open(tp.get(), dir, logConfig,
                    recoveryPoints.getOrDefault(tp.get(), 0L), clean, env));
        }
        Files.deleteIfExists(marker);
        OffsetCheckpointFile.forceDirectory(config.dataDir());
        LOG.info("Loaded {} logs from {} in {} ms after {}", logs.size(), config.dataDir(),
                (time.nanoseconds() - started) / 1_000_000, clean ? "a clean shutdown" : "an unclean shutdown");
    }

    private Map<TopicPartition, Long> readRecoveryPoints() {
        try {
            return recoveryCheckpoint.read().orElse(Map.of());
        } catch (IOException e) {
            LOG.warn("Recovery-point checkpoint is unreadable ({}); every log will be recovered in full", e.getMessage());
            return Map.of();
        }
    }

    private void scheduleBackgroundWork() {
        if (config.flushPolicy() == FlushPolicy.INTERVAL) {
            every(config.flushIntervalMs(), "flush", this::flushAll);
        }
        every(config.checkpointIntervalMs(), "checkpoint recovery points", this::checkpointRecoveryPoints);
        every(config.retentionCheckIntervalMs(), "retention", this::applyRetention);
        every(config.cleanerIntervalMs(), "compaction", this::compactAll);
    }

    private void every(long intervalMs, String what, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Background {} failed", what, e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** The log of {@code tp}, if this broker has it. */
    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /** The log of {@code tp}, created (empty) with {@code logConfig} if it does not exist. */
    public PartitionLog getOrCreateLog(TopicPartition tp, LogConfig logConfig) {
        ensureStarted();
        TopicName.validate(tp.topic());
        FilePartitionLog log = logs.get(tp);
        if (log != null) {
            return log;
        }
        synchronized (createLock) {
            gate.ensureWritable();
            return logs.computeIfAbsent(tp, key -> FilePartitionLog.open(key, config.dataDir().resolve(key.toString()),
                    logConfig, 0, true, env));
        }
    }

    /** Removes a partition's log: gone from this manager at once, its files shortly after. */
    public void deleteLog(TopicPartition tp) {
        FilePartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        log.close();
        Path target = config.dataDir().resolve(tp + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_DIR_SUFFIX);
        try {
            Files.move(log.dir(), target);
            scheduler.execute(() -> deleteRecursively(target));
        } catch (IOException e) {
            throw gate.fail("deleting the log of " + tp, e);
        }
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /** Forces every log (the interval policy's tick; also used before a checkpoint at shutdown). */
    public void flushAll() {
        for (FilePartitionLog log : logs.values()) {
            if (!gate.failed()) {
                log.flushUpTo(log.logEndOffset());
            }
        }
    }

    /** Writes every log's recovery point to the checkpoint file. */
    public void checkpointRecoveryPoints() {
        if (gate.failed()) {
            return;
        }
        Map<TopicPartition, Long> points = new HashMap<>();
        logs.forEach((tp, log) -> points.put(tp, log.recoveryPoint()));
        try {
            recoveryCheckpoint.write(points);
        } catch (IOException e) {
            throw gate.fail("writing the recovery-point checkpoint", e);
        }
    }

    /** Applies retention to every log now; returns the number of segments deleted. */
    public int applyRetention() {
        int deleted = 0;
        for (FilePartitionLog log : logs.values()) {
            if (!gate.failed()) {
                deleted += LogRetention.deleteOldSegments(log);
            }
        }
        return deleted;
    }

    /**
     * Compacts every log whose cleanup policy is compact, now (see {@link LogCleaner}); returns the
     * number of records removed. Logs that need no compaction since their last round are skipped.
     */
    public long compactAll() {
        LogCleaner c = cleaner;
        return c == null ? 0 : c.cleanAll(logs.values());
    }

    /** Logs that recovery truncated at startup (damaged or torn batches cut). */
    public long recoveryTruncations() {
        LogEnvironment e = env;
        return e == null ? 0 : e.recoveryTruncations();
    }

    /** Bytes that recovery cut from logs at startup. */
    public long recoveryTruncatedBytes() {
        LogEnvironment e = env;
        return e == null ? 0 : e.recoveryTruncatedBytes();
    }

    /** The directory's I/O failure, or null while it is healthy. */
    public TributaryException failure() {
        return gate.failure();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public LogManagerConfig config() {
        return config;
    }

    /**
     * Stops background work, flushes and closes every log, writes the recovery points and, if no
     * I/O error happened, the clean-shutdown marker; then releases the directory lock.
     */
    @Override
    public synchronized void close() {
        if (!started) {
            return;
        }
        started = false;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        env.deletePendingNow();
        for (FilePartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.error("Closing {} failed", log.topicPartition(), e);
            }
        }
        if (flusher != null) {
            flusher.close();
        }
        try {
            if (!gate.failed()) {
                checkpointRecoveryPoints();
                Files.createFile(config.dataDir().resolve(CLEAN_SHUTDOWN_FILE));
                OffsetCheckpointFile.forceDirectory(config.dataDir());
                LOG.info("Closed {} logs cleanly in {}", logs.size(), config.dataDir());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not mark {} as cleanly shut down", config.dataDir(), e);
        } finally {
            logs.clear();
            releaseLock();
        }
    }

    /** Undoes a startup that failed part-way, so the directory is not left locked by this process. */
    private void abandonStartup() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (flusher != null) {
            flusher.close();
        }
        for (FilePartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException ignored) {
                // already failing; the original error is what matters
            }
        }
        logs.clear();
        releaseLock();
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("Could not release {}: {}", LOCK_FILE, e.toString());
        } finally {
            if (lockedDirectory != null) {
                LOCKED_DIRECTORIES.remove(lockedDirectory);
                lockedDirectory = null;
            }
        }
    }

    private void ensureStarted() {
        if (!started) {
            throw new IllegalStateException("The log manager is not running");
        }
    }

    /** {@code <topic>-<partition>} with a legal topic name, or empty. */
    static Optional<TopicPartition> parseDirectoryName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String topic = name.substring(0, dash);
        String partition = name.substring(dash + 1);
        boolean canonical = partition.chars().allMatch(Character::isDigit) && partition.length() <= 9
                && (partition.length() == 1 || partition.charAt(0) != '0');
        if (!TopicName.isValid(topic) || !canonical) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartition(topic, Integer.parseInt(partition)));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    static TributaryException notFound(TopicPartition tp) {
        return new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "No log for " + tp + " on this broker");
    }
}
