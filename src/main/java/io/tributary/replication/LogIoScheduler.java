package io.tributary.replication;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

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

    /**
     * A scheduler of its own that runs its tasks one at a time, in the order they were given, on
     * the same never-interrupted threads; nothing to dispose (it holds no thread while idle).
     */
    public static Scheduler serial() {
        return Schedulers.fromExecutor(new SerialExecutor());
    }

    /** Runs tasks one after another on the log-I/O threads. Thread safety: thread-safe. */
    private static final class SerialExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private boolean running;

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            Schedulers.boundedElastic().schedule(this::drain);
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(LogIoScheduler.class).warn("A log I/O task failed", e);
                }
            }
        }
    }
}
