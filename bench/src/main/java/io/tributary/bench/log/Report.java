package io.tributary.bench.log;

import io.tributary.log.FlushPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results as Markdown: where and how they were taken, every figure with its ratio to the raw
 * limit (MB/s of the case over MB/s of the raw limit, both counting the batch bytes written or
 * read), the reopen times, and each target of the storage engine, met or missed by how much.
 */
final class Report {

    static final String ON_ACK_TARGET_CELL = new AppendBench.Case(FlushPolicy.ON_ACK, 1000, 8, 1).name();
    static final String NONE_TARGET_CELL = new AppendBench.Case(FlushPolicy.NONE, 1000, 1, 1).name();

    private final BenchOptions options;
    private final String command;
    private final Instant date;
    private final String machine;
    private final String loadAtStart;
    private String loadAtEnd = "?";
    private ReopenBench reopen;

    Report(BenchOptions options, String command, Instant date, String machine, String loadAtStart) {
        this.options = options;
        this.command = command;
        this.date = date;
        this.machine = machine;
        this.loadAtStart = loadAtStart;
    }

    /** CPU, cores, memory, JVM, OS and the file system holding {@code dir}. */
    static String machine(Path dir) throws IOException {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1048576.0))
                .orElse("?");
        var store = Files.getFileStore(dir);
        return String.format(Locale.ROOT, "%d cores (nproc), %s, %s RAM; %s %s; %s %s; file system %s on %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory, System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name"), System.getProperty("os.version"),
                store.type(), store.name());
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    String header() {
        return String.format(Locale.ROOT, """
                - Date: %s
                - Machine: %s
                - Command: `%s`
                - Settings: %d run(s) per case (median reported), %.1f s warm-up and %.1f s measured per case; \
                100-byte values, no key; read and reopen on a log of %d MiB
                - Load average (1, 5, 15 min) at start: %s""", date, machine, command, options.runs(),
                options.warmupMs() / 1e3, options.measureMs() / 1e3, options.logBytes() / 1048576, loadAtStart);
    }

    void finish(String loadAverage) {
        loadAtEnd = loadAverage;
    }

    void reopen(ReopenBench bench) {
        reopen = bench;
    }

    String render(Map<String, Measurement> results) {
        Measurement raw = results.get(LogBench.RAW_WRITE);
        double rawMbps = raw.median().megabytesPerSecond();
        StringBuilder out = new StringBuilder(header()).append("\n- Load average at end: ").append(loadAtEnd).append("\n\n");
        out.append("| case | records/s | MB/s | × raw | CPU used, cores | records/s, min – max of runs |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        List<Measurement> rows = new ArrayList<>(results.values());
        if (reopen != null && !reopen.read.isEmpty()) {
            rows.add(reopen.read);
        }
        for (Measurement m : rows) {
            Measurement.Run median = m.median();
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f | %.2f | %.2f | %,.0f – %,.0f (%d) |%n", m.name(),
                    median.recordsPerSecond(), median.megabytesPerSecond(), median.megabytesPerSecond() / rawMbps,
                    median.cores(), m.minRecordsPerSecond(), m.maxRecordsPerSecond(), m.runCount()));
        }
        if (reopen != null && !reopen.cleanReopen.isEmpty()) {
            out.append("\n| reopen of the log, timed from the parent | median | each run | MB/s scanned | × raw |\n");
            out.append("| --- | ---: | --- | ---: | ---: |\n");
            for (Measurement m : List.of(reopen.cleanReopen, reopen.crashReopen)) {
                if (m.isEmpty()) {
                    continue;
                }
                Measurement.Run median = m.runs().stream().filter(r -> r.seconds() == m.medianSeconds()).findFirst().orElseThrow();
                String runs = m.runs().stream().map(r -> String.format(Locale.ROOT, "%.0f ms", r.seconds() * 1e3))
                        .collect(Collectors.joining(", "));
                String scanned = m == reopen.crashReopen
                        ? String.format(Locale.ROOT, "%.1f | %.2f", median.megabytesPerSecond(), median.megabytesPerSecond() / rawMbps)
                        : "— (indexes and the tail after the last index entry only) | —";
                out.append(String.format(Locale.ROOT, "| %s | %.0f ms | %s | %s |%n", m.name(), m.medianSeconds() * 1e3,
                        runs, scanned));
            }
            out.append("\nAfter kill -9, the bytes recovery scanned (CRC of every batch, indexes rebuilt) over the"
                    + " time. Each run: ").append(String.join("; ", reopen.crashNotes)).append(".\n");
        }
        if (reopen != null && !reopen.read.isEmpty()) {
            Measurement.Run read = reopen.read.median();
            out.append(String.format(Locale.ROOT, "%nThe read is one thread decoding every record: %,.0f records per"
                    + " second of the process's CPU time (median run).%n", read.records() / read.cpuSeconds()));
        }
        out.append(targets(results, rawMbps));
        return out.toString();
    }

    private String targets(Map<String, Measurement> results, double rawMbps) {
        StringBuilder out = new StringBuilder("\n| target | cell | figure | result |\n| --- | --- | --- | --- |\n");
        Measurement none = results.get(NONE_TARGET_CELL);
        if (none != null) {
            double ratio = none.median().megabytesPerSecond() / rawMbps;
            out.append(row("append, batches of 1000, no fsync >= 0.5 × raw", NONE_TARGET_CELL,
                    String.format(Locale.ROOT, "%.2f × raw", ratio), ratio, 0.5, true));
        }
        Measurement onAck = results.get(ON_ACK_TARGET_CELL);
        if (onAck != null) {
            double rate = onAck.median().recordsPerSecond();
            out.append(row("on-ack, 8 writers >= 1M records/s", ON_ACK_TARGET_CELL,
                    String.format(Locale.ROOT, "%,.0f records/s", rate), rate, 1e6, true));
        }
        if (reopen != null && !reopen.read.isEmpty()) {
            double rate = reopen.read.median().recordsPerSecond();
            out.append(row("sequential read >= 5M records/s", reopen.read.name(),
                    String.format(Locale.ROOT, "%,.0f records/s", rate), rate, 5e6, true));
        }
        if (reopen != null && !reopen.cleanReopen.isEmpty()) {
            double ms = reopen.cleanReopen.medianSeconds() * 1e3;
            out.append(row("reopen after a clean shutdown < 1 s", reopen.cleanReopen.name(),
                    String.format(Locale.ROOT, "%.0f ms", ms), ms, 1000, false));
        }
        if (reopen != null && !reopen.crashReopen.isEmpty()) {
            double ms = reopen.crashReopen.medianSeconds() * 1e3;
            out.append(row("reopen after kill -9 < 2 s", reopen.crashReopen.name(),
                    String.format(Locale.ROOT, "%.0f ms", ms), ms, 2000, false));
        }
        return out.toString();
    }

    /** A target row: met, or missed by how much of the target. */
    private static String row(String target, String cell, String figure, double value, double bound, boolean atLeast) {
        boolean met = atLeast ? value >= bound : value < bound;
        String result = met ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
                Math.abs(value - bound) / bound * 100);
        return "| " + target + " | " + cell + " | " + figure + " | " + result + " |\n";
    }
}
