package io.tributary.bench.log;

import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.record.MemoryRecords;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of the kill -9 case: opens a data directory as the broker does by default
 * ({@code on-ack}), and appends batches of 1000 records to partition 0 from several threads until
 * it is killed. Prints {@code STARTED} once the log is open, then {@code ACKED <bytes>} after each
 * acknowledged append, {@code bytes} being the total acknowledged so far.
 *
 * <p>Arguments: the data directory, the number of appending threads.
 */
public final class CrashAppender {

    private CrashAppender() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        LogManager manager = ReopenBench.manager(dataDir, FlushPolicy.ON_ACK);
        manager.startup();
        PartitionLog log = manager.getOrCreateLog(Workload.partition(0), LogConfig.defaults());
        PrintStream out = System.out;
        out.println("STARTED");
        out.flush();
        AtomicLong acked = new AtomicLong();
        Thread[] appenders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            MemoryRecords batch = Workload.batch(1000, t);
            appenders[t] = new Thread(() -> {
                while (true) {
                    log.append(batch, 0).join();
                    long total = acked.addAndGet(batch.sizeInBytes());
                    synchronized (out) {
                        out.println("ACKED " + total);
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
