package io.tributary.bench.front;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts acknowledged records for a fixed-duration case: load runs through a warm-up, then the
 * records acknowledged during the measured window are divided by its length. Workers stop
 * starting new requests once {@link #running()} turns false. Thread safety: thread-safe.
 */
public final class Meter {

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean running = true;

    public void acked(long count) {
        records.addAndGet(count);
    }

    public void failed(String what) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, what);
    }

    public boolean running() {
        return running;
    }

    public long errors() {
        return errors.get();
    }

    public String firstError() {
        return firstError.get();
    }

    public long total() {
        return records.get();
    }

    /** Waits out the warm-up and the window, then stops the workers; returns records per second. */
    public double measure(long warmupSeconds, long seconds) throws InterruptedException {
        TimeUnit.SECONDS.sleep(warmupSeconds);
        long fromCount = records.get();
        long fromNanos = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long toCount = records.get();
        long toNanos = System.nanoTime();
        running = false;
        return (toCount - fromCount) * 1e9 / (toNanos - fromNanos);
    }

    /** Stops the workers without measuring. */
    public void stop() {
        running = false;
    }
}
