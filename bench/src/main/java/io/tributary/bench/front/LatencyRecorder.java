package io.tributary.bench.front;

import java.util.Arrays;

/**
 * End-to-end latencies (send to delivery, both {@link System#nanoTime()} in this process) of the
 * records sent at or after {@code fromNanos}; earlier ones are the warm-up. Percentiles come from
 * the sorted samples. Thread safety: {@link #record} from one thread at a time; read after the
 * recording thread has stopped (the caller provides the happens-before edge).
 */
final class LatencyRecorder {

    private final long fromNanos;
    private final long[] samples;
    private int count;
    private long dropped;

    LatencyRecorder(long fromNanos, int capacity) {
        this.fromNanos = fromNanos;
        this.samples = new long[capacity];
    }

    void record(long sentNanos, long receivedNanos) {
        if (sentNanos < fromNanos) {
            return;
        }
        if (count == samples.length) {
            dropped++;
            return;
        }
        samples[count++] = receivedNanos - sentNanos;
    }

    int count() {
        return count;
    }

    long dropped() {
        return dropped;
    }

    /** The latency at {@code quantile} (0..1) in milliseconds. */
    double percentileMs(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    long[] sorted() {
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return copy;
    }
}
