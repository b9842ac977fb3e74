package io.tributary.log;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatchBuilder;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link CrashRecoveryIT}: opens a data directory with the {@code on-ack}
 * flush policy and appends from several threads until it is killed. A line
 * {@code ACK <partition> <firstOffset> <lastOffset> <valuePrefix> END} goes to stdout only after
 * the append's future completed, that is after the fsync that covers it; record {@code i} of that
 * append has the value {@code <valuePrefix>-<i>}.
 *
 * <p>Arguments: the data directory, the number of appending threads, a run id that makes values
 * unique across runs.
 */
public final class OnAckAppender {

    static final int PARTITIONS = 2;

    private OnAckAppender() {
    }

    /** Small segments, so rolls (and their index writes) happen while the process is killed. */
    static LogConfig logConfig() {
        return LogConfig.defaults().withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "32768",
                LogConfig.INDEX_INTERVAL_BYTES, "1024"));
    }

    /** On-ack flushing, and recovery points checkpointed often so restarts scan only part of the log. */
    static LogManagerConfig managerConfig(Path dataDir) {
        return new LogManagerConfig(dataDir, logConfig(), FlushPolicy.ON_ACK, 1_000, 300_000, 100, 15_000);
    }

    static TopicPartition partition(int n) {
        return new TopicPartition("crash", n);
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        String run = args[2];
        LogManager manager = new LogManager(managerConfig(dataDir), topic -> logConfig(), Time.SYSTEM);
        manager.startup();
        PrintStream out = System.out;
        Thread[] appenders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            PartitionLog log = manager.getOrCreateLog(partition(t % PARTITIONS), logConfig());
            appenders[t] = new Thread(() -> {
                for (long seq = 0; ; seq++) {
                    String prefix = "r" + run + "-t" + thread + "-s" + seq;
                    int records = 1 + (int) (seq % 5);
                    RecordBatchBuilder builder = RecordBatchBuilder.create(0);
                    for (int i = 0; i < records; i++) {
                        builder.append(System.currentTimeMillis(), null, (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
                    }
                    MemoryRecords batch = builder.build();
                    AppendResult result = log.append(batch, 0).join();
                    synchronized (out) {
                        out.println("ACK " + (thread % PARTITIONS) + " " + result.firstOffset() + " "
                                + result.lastOffset() + " " + prefix + " END");
                        out.flush();
                    }
                }
            }, "appender-" + t);
            appenders[t].start();
        }
        for (Thread appender : appenders) {
            appender.join();
        }
    }
}
