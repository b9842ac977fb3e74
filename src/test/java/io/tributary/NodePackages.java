package io.tributary;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Installs the npm packages of {@link NodeTools#PACKAGE_DIR} with {@code npm ci} before the integration
 * tests; run by the build ({@code exec-maven-plugin}, phase {@code pre-integration-test}).
 *
 * <p>Does nothing when {@code node_modules} is newer than {@code package.json} and
 * {@code package-lock.json} (npm writes {@code node_modules/.package-lock.json} last), when tests are
 * skipped, or when npm is missing: the tests that need the packages then skip themselves, or fail if
 * {@code CI} is set. A failing {@code npm ci} fails the build.
 */
public final class NodePackages {

    private NodePackages() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (Boolean.getBoolean("skipTests") || Boolean.getBoolean("skipITs")) {
            return;
        }
        Path dir = NodeTools.projectDir().resolve(NodeTools.PACKAGE_DIR);
        if (upToDate(dir)) {
            System.out.println("[npm] " + dir.resolve("node_modules") + " is up to date");
            return;
        }
        Optional<Path> npm = onPath("npm", "npm.cmd");
        if (npm.isEmpty()) {
            System.out.println("[npm] npm is not on the PATH: tests that use Node.js tools will be skipped"
                    + " (or fail when CI is set)");
            return;
        }
        System.out.println("[npm] npm ci in " + dir);
        ProcessBuilder builder = new ProcessBuilder(List.of(npm.get().toString(), "ci", "--no-audit", "--no-fund"))
                .directory(dir.toFile())
                .inheritIO();
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("npm ci in " + dir + " failed with exit code " + exit);
        }
    }

    private static boolean upToDate(Path dir) throws IOException {
        Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(installed)) {
            return false;
        }
        long installedAt = Files.getLastModifiedTime(installed).toMillis();
        return installedAt >= Files.getLastModifiedTime(dir.resolve("package-lock.json")).toMillis()
                && installedAt >= Files.getLastModifiedTime(dir.resolve("package.json")).toMillis();
    }

    static Optional<Path> onPath(String... programs) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .flatMap(dir -> Stream.of(programs).map(program -> Path.of(dir, program)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
