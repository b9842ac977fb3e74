package io.tributary.bench.log;

import java.nio.file.Path;

/**
 * How long and how big: warm-up and measured time per case, runs per case (the median is
 * reported), the size of the log the read and reopen cases use, and a filter on case names.
 *
 * @param warmupMs    time each case runs before it is measured
 * @param measureMs   measured time of each case
 * @param runs        rounds over every case; each figure is the median round
 * @param logBytes    size of the log read and reopened
 * @param crashBytes  bytes the child JVM appends (and has acknowledged) before it is killed
 * @param only        run only cases whose name contains this (empty: all)
 * @param scratch     where the data goes; deleted at the end
 * @param results     the Markdown file the results are written to
 */
record BenchOptions(long warmupMs, long measureMs, int runs, long logBytes, long crashBytes, String only,
                    Path scratch, Path results) {

    private static final long MIB = 1024 * 1024;

    static final String USAGE = """
            Options: --quick (1 run, 0.5 s warm-up, 1 s measured, 256 MiB log)
                     --warmup-ms=N --measure-ms=N --runs=N --log-mib=N --crash-mib=N
                     --only=TEXT (cases whose name contains TEXT) --scratch=DIR --results=FILE""";

    static BenchOptions parse(String... args) {
        long warmupMs = 1_000;
        long measureMs = 3_000;
        int runs = 3;
        long logMib = 1024;
        long crashMib = 32;
        String only = "";
        Path scratch = Path.of("target", "log-bench-data");
        Path results = Path.of("target", "log-bench-results.md");
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (name) {
                case "--quick" -> {
                    warmupMs = 500;
                    measureMs = 1_000;
                    runs = 1;
                    logMib = 256;
                    crashMib = 16;
                }
                case "--warmup-ms" -> warmupMs = Long.parseLong(value);
                case "--measure-ms" -> measureMs = Long.parseLong(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--log-mib" -> logMib = Long.parseLong(value);
                case "--crash-mib" -> crashMib = Long.parseLong(value);
                case "--only" -> only = value;
                case "--scratch" -> scratch = Path.of(value);
                case "--results" -> results = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
            }
        }
        if (runs < 1 || measureMs < 1 || warmupMs < 0 || crashMib >= logMib) {
            throw new IllegalArgumentException("Out-of-range option\n" + USAGE);
        }
        return new BenchOptions(warmupMs, measureMs, runs, logMib * MIB, crashMib * MIB, only, scratch, results);
    }

    boolean selects(String caseName) {
        return only.isEmpty() || caseName.contains(only);
    }
}
