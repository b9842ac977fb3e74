package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.log.record.TimestampType;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-topic settings of a partition log. A topic's overrides (Kafka's names, such as
 * {@code retention.ms}) are layered on the broker's defaults by {@link #withOverrides}, which
 * rejects unknown names and out-of-range values with {@link ErrorCode#INVALID_CONFIG}.
 *
 * @param segmentBytes        roll the active segment when it would grow past this
 * @param segmentMs           roll the active segment when its first record is this old
 * @param retentionMs         delete a segment whose newest record is older than this (-1: never)
 * @param retentionBytes      delete old segments while the log is bigger than this (-1: no limit)
 * @param cleanupPolicy       delete or compact
 * @param deleteRetentionMs   how long a compacted topic keeps tombstones
 * @param maxMessageBytes     the largest batch the log accepts
 * @param indexIntervalBytes  bytes of log between offset index entries
 * @param timestampType       create time (the producer's) or log-append time (the broker's)
 * @param fileDeleteDelayMs   how long a deleted segment's files stay for readers still using them
 */
public record LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                        CleanupPolicy cleanupPolicy, long deleteRetentionMs, int maxMessageBytes,
                        int indexIntervalBytes, TimestampType timestampType, long fileDeleteDelayMs) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";

    /** The names {@link #withOverrides} accepts. */
    public static final Set<String> NAMES = Set.of(SEGMENT_BYTES, SEGMENT_MS, RETENTION_MS, RETENTION_BYTES,
            CLEANUP_POLICY, DELETE_RETENTION_MS, MAX_MESSAGE_BYTES, INDEX_INTERVAL_BYTES, MESSAGE_TIMESTAMP_TYPE,
            FILE_DELETE_DELAY_MS);

    /** The smallest segment: room for one batch header. */
    public static final int MIN_SEGMENT_BYTES = 14;

    public LogConfig {
        check(segmentBytes >= MIN_SEGMENT_BYTES, SEGMENT_BYTES, segmentBytes);
        check(segmentMs >= 1, SEGMENT_MS, segmentMs);
        check(retentionMs >= -1, RETENTION_MS, retentionMs);
        check(retentionBytes >= -1, RETENTION_BYTES, retentionBytes);
        check(cleanupPolicy != null, CLEANUP_POLICY, cleanupPolicy);
        check(deleteRetentionMs >= 0, DELETE_RETENTION_MS, deleteRetentionMs);
        check(maxMessageBytes >= 0, MAX_MESSAGE_BYTES, maxMessageBytes);
        check(indexIntervalBytes >= 0, INDEX_INTERVAL_BYTES, indexIntervalBytes);
        check(timestampType != null, MESSAGE_TIMESTAMP_TYPE, timestampType);
        check(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS, fileDeleteDelayMs);
    }

    /** Kafka's defaults: 1 GiB segments, 7-day roll, 14-day retention, 1 MiB messages. */
    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, 7L * 24 * 3600 * 1000, 14L * 24 * 3600 * 1000, -1,
                CleanupPolicy.DELETE, 24L * 3600 * 1000, 1024 * 1024, 4096, TimestampType.CREATE_TIME, 60_000);
    }

    /** These settings with {@code overrides} applied; every name and value is checked. */
    public LogConfig withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(toMap());
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw invalid("Unknown topic config '" + e.getKey() + "'");
            }
            merged.put(e.getKey(), e.getValue());
        }
        return fromMap(merged);
    }

    /** Every setting by its config name, as strings. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(CLEANUP_POLICY, cleanupPolicy.configValue());
        map.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        map.put(MESSAGE_TIMESTAMP_TYPE, timestampType == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime");
        map.put(FILE_DELETE_DELAY_MS, Long.toString(fileDeleteDelayMs));
        return map;
    }

    private static LogConfig fromMap(Map<String, String> m) {
        return new LogConfig(parseInt(m, SEGMENT_BYTES), parseLong(m, SEGMENT_MS), parseLong(m, RETENTION_MS),
                parseLong(m, RETENTION_BYTES), parsePolicy(m.get(CLEANUP_POLICY)), parseLong(m, DELETE_RETENTION_MS),
                parseInt(m, MAX_MESSAGE_BYTES), parseInt(m, INDEX_INTERVAL_BYTES),
                parseTimestampType(m.get(MESSAGE_TIMESTAMP_TYPE)), parseLong(m, FILE_DELETE_DELAY_MS));
    }

    private static int parseInt(Map<String, String> m, String name) {
        long value = parseLong(m, name);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw invalid("Topic config '" + name + "' is out of range: " + value);
        }
        return (int) value;
    }

    private static long parseLong(Map<String, String> m, String name) {
        try {
            return Long.parseLong(m.get(name).trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw invalid("Topic config '" + name + "' must be a whole number, not '" + m.get(name) + "'");
        }
    }

    private static CleanupPolicy parsePolicy(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "delete" -> CleanupPolicy.DELETE;
            case "compact" -> CleanupPolicy.COMPACT;
            default -> throw invalid("Topic config 'cleanup.policy' must be 'delete' or 'compact', not '" + value + "'");
        };
    }

    private static TimestampType parseTimestampType(String value) {
        String v = value == null ? "" : value.trim();
        return switch (v) {
            case "CreateTime" -> TimestampType.CREATE_TIME;
            case "LogAppendTime" -> TimestampType.LOG_APPEND_TIME;
            default -> throw invalid("Topic config 'message.timestamp.type' must be 'CreateTime' or 'LogAppendTime', not '"
                    + value + "'");
        };
    }

    private static void check(boolean ok, String name, Object value) {
        if (!ok) {
            throw invalid("Topic config '" + name + "' has an invalid value: " + value);
        }
    }

    private static TributaryException invalid(String message) {
        return new TributaryException(ErrorCode.INVALID_CONFIG, message);
    }
}
