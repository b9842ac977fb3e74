package io.tributary;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js tools some integration tests drive (newman, playwright-core), installed by the build with
 * {@code npm ci} into {@code src/test/node/node_modules}, and the Chromium that playwright-core drives.
 *
 * <p>On a machine without them the tests that need them are skipped with a message saying what is
 * missing, unless the environment variable {@code CI} is set: there a missing tool fails the test.
 */
public final class NodeTools {

    /** Where {@code package.json}, the scripts and {@code node_modules} are, relative to the project. */
    public static final Path PACKAGE_DIR = Path.of("src", "test", "node");

    private final Path node;

    private NodeTools(Path node) {
        this.node = node;
    }

    /** The project directory: Maven's {@code basedir}, else the working directory. */
    public static Path projectDir() {
        String basedir = System.getProperty("basedir");
        return (basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath();
    }

    /** Node.js with these npm packages installed, or the test is skipped (failed when {@code CI} is set). */
    public static NodeTools require(String... packages) {
        Optional<Path> node = NodePackages.onPath("node", "node.exe");
        require(node.isPresent(), "Node.js (node) is not on the PATH; install Node.js 18 or newer");
        Path modules = projectDir().resolve(PACKAGE_DIR).resolve("node_modules");
        for (String name : packages) {
            require(Files.isDirectory(modules.resolve(name)), "npm package " + name + " is not installed in " + modules
                    + "; run `npm ci` there (./mvnw verify does it in pre-integration-test)");
        }
        return new NodeTools(node.get());
    }

    /** The Chromium to drive: {@code $CHROMIUM}, else {@code /usr/bin/chromium}, or the test is skipped. */
    public static Path requireChromium() {
        String configured = System.getenv("CHROMIUM");
        Path chromium = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        require(Files.isExecutable(chromium), "Chromium is not installed at " + chromium
                + "; install it (Debian: apt-get install chromium) or set CHROMIUM to its path");
        return chromium;
    }

    private static void require(boolean present, String message) {
        if (present) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            throw new AssertionError(message + " (CI is set, so every tool the tests need must be there)");
        }
        System.out.println("Skipping: " + message + " (set CI to make this a failure)");
        Assumptions.abort(message);
    }

    /** What a finished script printed, and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** Everything the script said, for assertion messages. */
        public String describe() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /**
     * Runs {@code node <script> <arguments>} in the package directory and waits for it to finish.
     *
     * @throws AssertionError if it has not finished within {@code timeout} (it is then killed)
     */
    public Result run(Duration timeout, String script, String... arguments) throws IOException, InterruptedException {
        Path dir = projectDir().resolve(PACKAGE_DIR);
        List<String> command = new ArrayList<>(List.of(node.toString(), script));
        command.addAll(List.of(arguments));
        Path stdout = Files.createTempFile("node-stdout", ".txt");
        Path stderr = Files.createTempFile("node-stderr", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            builder.environment().put("NO_COLOR", "1");
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "\n"
                        + new Result(-1, Files.readString(stdout), Files.readString(stderr)).describe());
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
