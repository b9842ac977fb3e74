package io.tributary.bench.front;

import java.util.Arrays;

/**
 * End-to-end latencies (send to delivery, both {@link System#nanoTime()} in this process) of the
 * records sent at or after {@code fromNanos}; earlier ones are the warm-up. Percentiles come from
 * the sorted samples. Thread safety: {@link #record} from one thread at a time; read after the
 * recording thread has stopped (the caller provides the happens-before edge).
 */
public final class LatencyRecorder {

    private final long fromNanos;
    private final long[] samples;
    private int count;
    private long dropped;

    public LatencyRecorder(long fromNanos, int capacity) {
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

    public int count() {
        return count;
    }

    public long dropped() {
        return dropped;
    }

    /** The latency at {@code quantile} (0..1) in milliseconds. */
    public double percentileMs(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    public long[] sorted() {
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return copy;
    }
}
