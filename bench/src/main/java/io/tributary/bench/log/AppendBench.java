package io.tributary.bench.log;

import io.tributary.common.Time;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.record.MemoryRecords;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends through a {@link LogManager} with the broker's defaults (1 GiB segments, a 1 s flush
 * interval, group commit under on-ack): writers in a closed loop, each appending its own batch and
 * waiting for the append's future before the next, so under on-ack each waits for the fsync that
 * covers it. Writer {@code i} appends to partition {@code i % partitions}.
 */
final class AppendBench {

    /** One cell of the matrix. */
    record Case(FlushPolicy policy, int batchRecords, int writers, int partitions) {

        String name() {
            return String.format(Locale.ROOT, "append %s, batch %d, %d writer%s / %d partition%s", policyName(policy),
                    batchRecords, writers, writers == 1 ? "" : "s", partitions, partitions == 1 ? "" : "s");
        }
    }

    static final int[] BATCH_RECORDS = {1, 100, 1000};

    private AppendBench() {
    }

    static String policyName(FlushPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every policy, batch size and writer layout: 1 writer, 8 on one partition, 8 on 8 partitions. */
    static List<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        for (FlushPolicy policy : FlushPolicy.values()) {
            for (int batch : BATCH_RECORDS) {
                cases.add(new Case(policy, batch, 1, 1));
                cases.add(new Case(policy, batch, 8, 1));
                cases.add(new Case(policy, batch, 8, 8));
            }
        }
        return cases;
    }

    static Measurement.Run measure(Case c, Path dir, BenchOptions options) {
        LogManager manager = new LogManager(LogManagerConfig.of(dir, c.policy()), topic -> LogConfig.defaults(),
                Time.SYSTEM);
        manager.startup();
        try {
            List<PartitionLog> logs = new ArrayList<>();
            for (int p = 0; p < c.partitions(); p++) {
                logs.add(manager.getOrCreateLog(Workload.partition(p), LogConfig.defaults()));
            }
            MemoryRecords[] batches = new MemoryRecords[c.writers()];
            for (int w = 0; w < c.writers(); w++) {
                batches[w] = Workload.batch(c.batchRecords(), w);
            }
            return ClosedLoop.run(c.name(), c.writers(), w -> {
                PartitionLog log = logs.get(w % c.partitions());
                MemoryRecords batch = batches[w];
                return () -> log.append(batch, 0).join();
            }, c.batchRecords(), batches[0].sizeInBytes(), options);
        } finally {
            Workload.discardSegments(dir);
            manager.close();
            Workload.deleteRecursively(dir);
        }
    }
}
