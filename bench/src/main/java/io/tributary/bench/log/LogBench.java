package io.tributary.bench.log;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The storage-engine benchmark. In rounds ({@code --runs}), each round measures the raw limit, every
 * append case and the raw limit again, so slow drift in the machine's load spreads over all cases
 * alike and the raw figure (the median of two per round) spans the round; then
 * the read and reopen cases run on one large log. Each figure is the median round. Results are
 * printed and written as Markdown ({@code --results}); the scratch directory is deleted at the end.
 */
public final class LogBench {

    static final String RAW_WRITE = "raw limit: FileChannel.write, 1 thread, frames of a 1000-record batch";
    static final String RAW_FSYNC_1000 = "raw write + fsync per frame, frames of a 1000-record batch";
    static final String RAW_FSYNC_1 = "raw write + fsync per frame, frames of a 1-record batch";

    private LogBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Files.createDirectories(options.scratch());
        Report report = new Report(options, System.getProperty("bench.command", "LogBench " + String.join(" ", args)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Report.machine(options.scratch()), Report.loadAverage());
        System.out.println(report.header());
        Map<String, Measurement> results = new LinkedHashMap<>();
        try {
            for (int round = 1; round <= options.runs(); round++) {
                String tag = "[round " + round + "/" + options.runs() + "] ";
                run(results, tag, RAW_WRITE, () -> RawLimit.measure("raw", options.scratch().resolve("raw"), 1000, false, options));
                if (options.selects(RAW_FSYNC_1000)) {
                    run(results, tag, RAW_FSYNC_1000,
                            () -> RawLimit.measure("raw-fsync", options.scratch().resolve("raw"), 1000, true, options));
                }
                if (options.selects(RAW_FSYNC_1)) {
                    run(results, tag, RAW_FSYNC_1,
                            () -> RawLimit.measure("raw-fsync", options.scratch().resolve("raw"), 1, true, options));
                }
                for (AppendBench.Case c : AppendBench.matrix()) {
                    if (options.selects(c.name())) {
                        run(results, tag, c.name(), () -> AppendBench.measure(c, options.scratch().resolve("append"), options));
                    }
                }
                run(results, tag, RAW_WRITE, () -> RawLimit.measure("raw", options.scratch().resolve("raw"), 1000, false, options));
            }
            ReopenBench reopen = new ReopenBench(options.scratch().resolve("reopen"), options);
            if (options.selects(reopen.read.name()) || options.selects(reopen.cleanReopen.name())
                    || options.selects(reopen.crashReopen.name())) {
                runReopen(reopen, options, report);
            }
        } finally {
            Workload.deleteRecursively(options.scratch());
        }
        report.finish(Report.loadAverage());
        String markdown = report.render(results);
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(options.results().toAbsolutePath().getParent());
        Files.writeString(options.results(), markdown);
        System.out.println("Written to " + options.results());
    }

    private interface Case {
        Measurement.Run run() throws Exception;
    }

    private static void run(Map<String, Measurement> results, String tag, String name, Case c) throws Exception {
        if (name.contains("fsync") || name.contains("on-ack")) {
            Workload.settleDevice();
        }
        Measurement.Run run = c.run();
        results.computeIfAbsent(name, Measurement::new).add(run);
        System.out.printf(Locale.ROOT, "%s%-62s %,14.0f records/s %9.1f MB/s%n", tag, name, run.recordsPerSecond(),
                run.megabytesPerSecond());
    }

    private static void runReopen(ReopenBench reopen, BenchOptions options, Report report)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        reopen.build();
        System.out.printf(Locale.ROOT, "Built a log of %.1f MiB in %.1f s%n", reopen.builtBytes() / 1048576.0,
                (System.nanoTime() - start) / 1e9);
        reopen.warmUpReads();
        for (int round = 1; round <= options.runs(); round++) {
            reopen.reopenCleanAndRead();
            reopen.crashAndReopen();
            System.out.printf(Locale.ROOT, "[round %d/%d] clean reopen %.0f ms, read %,.0f records/s, after kill -9 %s%n",
                    round, options.runs(), reopen.cleanReopen.last().seconds() * 1e3,
                    reopen.read.last().recordsPerSecond(), reopen.crashNotes.get(reopen.crashNotes.size() - 1));
        }
        report.reopen(reopen);
        reopen.delete();
    }
}
