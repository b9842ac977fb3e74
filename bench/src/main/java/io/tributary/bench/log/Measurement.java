package io.tributary.bench.log;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runs of one benchmark case: records and bytes moved in a measured time. The figure reported
 * is the run with the median rate in records per second (of an even number of runs, the faster of
 * the middle two: the cautious choice for the raw limit, which divides every other figure); the
 * spread over runs comes with it.
 */
final class Measurement {

    /**
     * One run: {@code records} and {@code bytes} in {@code seconds} of wall time, during which the
     * whole process used {@code cpuSeconds} of CPU (all its threads, the JVM's own included).
     */
    record Run(double records, double bytes, double seconds, double cpuSeconds) {

        /** The CPU the process had, in cores: on a machine shared with other work, less than it could use. */
        double cores() {
            return cpuSeconds / seconds;
        }

        double recordsPerSecond() {
            return records / seconds;
        }

        /** Megabytes (10^6 bytes) per second. */
        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    private final String name;
    private final List<Run> runs = new ArrayList<>();

    Measurement(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void add(Run run) {
        runs.add(run);
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    int runCount() {
        return runs.size();
    }

    /** CPU time this process has used so far, in seconds (NaN where the JVM does not tell). */
    static double processCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9
                : Double.NaN;
    }

    Run last() {
        return runs.get(runs.size() - 1);
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    Run median() {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::recordsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    double minRecordsPerSecond() {
        return runs.stream().mapToDouble(Run::recordsPerSecond).min().orElse(Double.NaN);
    }

    double maxRecordsPerSecond() {
        return runs.stream().mapToDouble(Run::recordsPerSecond).max().orElse(Double.NaN);
    }

    /** Median seconds of the runs (for the reopen cases, where time is the figure; of two, the slower). */
    double medianSeconds() {
        List<Double> seconds = runs.stream().map(Run::seconds).sorted().toList();
        return seconds.get(seconds.size() / 2);
    }
}
