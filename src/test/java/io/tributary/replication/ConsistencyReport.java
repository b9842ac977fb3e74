package io.tributary.replication;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@link ConsistencyChecker} found: how much it looked at and every anomaly, each with the
 * partition and the offsets and replicas involved.
 *
 * @param acknowledged the acknowledged records checked
 * @param partitions   the partitions checked
 * @param anomalies    everything that breaks a rule, in the order found
 */
record ConsistencyReport(int acknowledged, int partitions, List<Anomaly> anomalies) {

    /** The rules a replicated log can break; see {@link ConsistencyChecker} for each definition. */
    enum Kind {
        /** An acknowledged record is not in the final leader's committed log. */
        MISSING,
        /** One value at two offsets of a partition. */
        DUPLICATED,
        /** An acknowledged record at another offset than acknowledged, or one producer's records out of order. */
        REORDERED,
        /** Replicas differ below the high watermark, or one lacks records below it. */
        DIVERGENT,
        /** A replica's offsets are not 0, 1, 2, ... */
        NOT_DENSE
    }

    record Anomaly(Kind kind, int partition, String detail) {
        @Override
        public String toString() {
            return kind + " p" + partition + ": " + detail;
        }
    }

    ConsistencyReport {
        anomalies = List.copyOf(anomalies);
    }

    boolean isClean() {
        return anomalies.isEmpty();
    }

    long count(Kind kind) {
        return anomalies.stream().filter(a -> a.kind() == kind).count();
    }

    /** Anomalies per kind, every kind present (zero when none). */
    Map<Kind, Long> counts() {
        Map<Kind, Long> counts = new TreeMap<>();
        for (Kind kind : Kind.values()) {
            counts.put(kind, count(kind));
        }
        return counts;
    }

    /** A summary and the first anomalies of each kind, for assertion messages and logs. */
    @Override
    public String toString() {
        String firsts = anomalies.stream().collect(Collectors.groupingBy(Anomaly::kind, TreeMap::new, Collectors.toList()))
                .values().stream().flatMap(list -> list.stream().limit(5))
                .map(a -> "\n  " + a).collect(Collectors.joining());
        return acknowledged + " acknowledged records over " + partitions + " partitions, anomalies " + counts() + firsts;
    }
}
