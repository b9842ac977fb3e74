package io.tributary.replication;

import io.tributary.common.Time;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.record.Record;
import io.tributary.replication.ConsistencyChecker.StoredRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a stopped broker's replicas straight from its data directory with the storage engine
 * ({@link LogManager}, the same code the broker opens it with, recovery included): every record of
 * every partition of a topic from offset 0, past the high watermark too. No broker is asked, so
 * what a follower holds is read from the follower's own files.
 */
final class ReplicaLogs {

    private ReplicaLogs() {
    }

    /**
     * {@code topic}'s partitions in the broker data directory {@code dataDir} (the broker must be
     * stopped: the directory is locked while open), each as its records in offset order with
     * values as UTF-8 text, a JSON string's quotes removed.
     */
    static Map<Integer, List<StoredRecord>> read(Path dataDir, String topic) {
        Map<Integer, List<StoredRecord>> partitions = new TreeMap<>();
        LogManager logs = new LogManager(LogManagerConfig.of(dataDir.resolve("logs"), FlushPolicy.INTERVAL),
                name -> LogConfig.defaults(), Time.SYSTEM);
        logs.startup();
        try {
            for (PartitionLog log : logs.allLogs()) {
                if (!log.topicPartition().topic().equals(topic)) {
                    continue;
                }
                partitions.put(log.topicPartition().partition(), readAll(log));
            }
        } finally {
            logs.close();
        }
        return partitions;
    }

    /** Reads on from after the last record returned, since one read may stop at a segment's end. */
    private static List<StoredRecord> readAll(PartitionLog log) {
        List<StoredRecord> records = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            long before = next;
            for (Record r : log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE).records().records()) {
                records.add(new StoredRecord(r.offset(), unquote(new String(r.valueBytes(), StandardCharsets.UTF_8))));
                next = r.offset() + 1;
            }
            if (next == before) {
                throw new IllegalStateException(log.topicPartition() + ": nothing readable at " + next
                        + " below the log end " + log.logEndOffset());
            }
        }
        return records;
    }

    private static String unquote(String json) {
        return json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }
}
