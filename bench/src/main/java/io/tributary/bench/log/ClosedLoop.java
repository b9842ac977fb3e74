package io.tributary.bench.log;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Runs one operation in a closed loop on a number of threads: each thread starts its next
 * operation only when the previous one has finished (for an append, when its future completed).
 * After a warm-up, the operations completed during a fixed measured time are counted.
 */
final class ClosedLoop {

    /** One unit of work: one append (and the wait for its acknowledgement), one raw write. */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    private ClosedLoop() {
    }

    /**
     * @param opForThread   the operation thread {@code i} repeats
     * @param recordsPerOp  records one operation moves
     * @param bytesPerOp    bytes one operation moves
     */
    static Measurement.Run run(String name, int threads, IntFunction<Op> opForThread, long recordsPerOp,
                               long bytesPerOp, BenchOptions options) {
        LongAdder ops = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        AtomicBoolean stop = new AtomicBoolean();
        for (int t = 0; t < threads; t++) {
            Op op = opForThread.apply(t);
            workers[t] = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        op.run();
                        ops.increment();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + t);
        }
        for (Thread worker : workers) {
            worker.start();
        }
        try {
            Thread.sleep(options.warmupMs());
            long startOps = ops.sum();
            long start = System.nanoTime();
            double startCpu = Measurement.processCpuSeconds();
            Thread.sleep(options.measureMs());
            long endOps = ops.sum();
            long end = System.nanoTime();
            double endCpu = Measurement.processCpuSeconds();
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException(name + " failed", failure.get());
            }
            long done = endOps - startOps;
            return new Measurement.Run(done * recordsPerOp, done * bytesPerOp, (end - start) / 1e9, endCpu - startCpu);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " was interrupted", e);
        }
    }
}
