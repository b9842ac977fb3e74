package io.tributary.bench.front;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hot frames of a JFR recording: the execution samples counted by their top frame (where the CPU
 * was) and by every {@code io.tributary} frame on the stack (which of the broker's own methods the
 * time was spent under). {@code java ... JfrTopFrames <file.jfr> [rows] [from epoch ms]}: samples
 * before the optional instant (a broker's start-up) are left out. Thread safety: a tool.
 */
public final class JfrTopFrames {

    private JfrTopFrames() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        java.time.Instant from = args.length > 2 ? java.time.Instant.ofEpochMilli(Long.parseLong(args[2])) : java.time.Instant.MIN;
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStartTime().isBefore(from)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            top.merge(name(frames.get(0)), 1, Integer::sum);
            var thread = event.getThread("sampledThread");
            threads.merge(thread == null ? "?" : thread.getJavaName().replaceAll("\\d+", "N"), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (name.startsWith("io.tributary.") && seen.add(name)) {
                    ours.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples in " + args[0]);
        print("top frames (self time)", top, samples, rows);
        print("io.tributary frames on the stack (total time)", ours, samples, rows);
        print("threads", threads, samples, 10);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
}
