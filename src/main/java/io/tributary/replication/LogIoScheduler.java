package io.tributary.replication;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where reactive code runs calls that read or write partition logs: Reactor's bounded-elastic
 * threads, but never interrupted. {@code Schedulers.boundedElastic()} interrupts a running task
 * when its subscriber cancels (a client that disconnects or times out, a replication connection
 * that closes); an interrupt during {@code FileChannel} I/O closes the channel
 * ({@code ClosedByInterruptException}), which the log takes for an I/O failure of its directory
 * and answers by refusing every write from then on. On this scheduler a call that has started runs
 * to its end when its subscriber cancels, and its result is dropped.
 *
 * <p>Thread safety: thread-safe; one shared instance.
 */
public final class LogIoScheduler {

    private static final Scheduler INSTANCE = Schedulers.fromExecutor(task -> Schedulers.boundedElastic().schedule(task));

    private LogIoScheduler() {
    }

    /** The shared scheduler. */
    public static Scheduler get() {
        return INSTANCE;
    }
}
