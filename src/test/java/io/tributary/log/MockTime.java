package io.tributary.log;

import io.tributary.common.Time;

import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
public final class MockTime implements Time {

    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long milliseconds() {
        return millis.get();
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    public void setMilliseconds(long ms) {
        millis.set(ms);
    }

    public void advance(long ms) {
        millis.addAndGet(ms);
        nanos.addAndGet(ms * 1_000_000);
    }
}
