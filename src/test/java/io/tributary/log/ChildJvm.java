package io.tributary.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test main class in a separate JVM with this JVM's java binary and class path, logging
 * at WARN to {@code stderr.log} in {@code workDir} so its stdout carries only what the main prints.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts a child whose stdout nobody reads (a broker: Spring Boot logs to the console) with its
     * stdout appended to {@code stdout.log} in {@code workDir}. Left unread, the pipe fills after
     * some 64 KiB and every thread of the child that logs blocks on it: a hang that looks like a
     * broker fault.
     */
    public static Process startLogging(Path workDir, Class<?> main, String... args) throws IOException {
        Process child = start(workDir, main, args);
        Path log = workDir.resolve("stdout.log");
        Thread drain = new Thread(() -> {
            try (var out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                child.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // the child ended
            }
        }, "drain-" + workDir.getFileName());
        drain.setDaemon(true);
        drain.start();
        return child;
    }

    public static Process start(Path workDir, Class<?> main, String... args) throws IOException {
        Files.createDirectories(workDir);
        Path logback = workDir.resolve("logback-child.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(workDir.resolve("stderr.log").toFile()))
                .start();
    }
}
