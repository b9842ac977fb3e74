package io.tributary.log;

/** What happens to old records: whole segments expire ({@code delete}) or keys are compacted. */
public enum CleanupPolicy {
    /** Delete whole segments by {@code retention.ms} and {@code retention.bytes}. */
    DELETE,
    /** Keep the latest record per key; tombstones go after {@code delete.retention.ms}. */
    COMPACT;

    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
