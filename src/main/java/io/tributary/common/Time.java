package io.tributary.common;

/**
 * The clock. Everything that reads the time or waits takes a {@code Time}, so tests can use a
 * clock they move by hand.
 */
public interface Time {

    /** Wall-clock milliseconds since the epoch. */
    long milliseconds();

    /** A monotonic clock for measuring intervals; no relation to wall-clock time. */
    long nanoseconds();

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}
