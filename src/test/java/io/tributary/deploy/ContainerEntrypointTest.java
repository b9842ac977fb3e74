package io.tributary.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container entrypoint ({@code src/main/docker/entrypoint.sh}) run with a stand-in {@code java}
 * that prints what it was given: the broker id comes from the StatefulSet pod ordinal, and a host
 * name without one stops the container instead of starting a broker with a wrong id.
 */
class ContainerEntrypointTest {

    private static final Path ENTRYPOINT = Path.of("src", "main", "docker", "entrypoint.sh");

    @TempDir
    Path bin;

    private record Run(int exitCode, String output) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"id=${TRIBUTARY_BROKER_ID:-unset} args=$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] command = new String[args.length + 2];
        command[0] = "sh";
        command[1] = ENTRYPOINT.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TRIBUTARY_BROKER_ID");
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void brokerIdIsThePodOrdinalPlusTheOffset() throws Exception {
        Run run = run(Map.of("HOSTNAME", "tb-tributary-12", "TRIBUTARY_BROKER_ID_FROM_ORDINAL", "true",
                "TRIBUTARY_BROKER_ID_OFFSET", "1"), "--server.port=9000");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("id=13 args=org.springframework.boot.loader.launch.JarLauncher --server.port=9000");
    }

    @Test
    void withoutOrdinalModeTheBrokerIdIsLeftToTheSettings() throws Exception {
        Run run = run(Map.of("HOSTNAME", "tb-tributary-4"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("id=unset");
    }

    @Test
    void aHostNameWithoutAnOrdinalStopsTheContainer() throws Exception {
        for (String host : new String[] {"tributary", "tributary-x", "tributary-"}) {
            Run run = run(Map.of("HOSTNAME", host, "TRIBUTARY_BROKER_ID_FROM_ORDINAL", "true"));
            assertThat(run.exitCode()).as(host).isEqualTo(64);
            assertThat(run.output()).as(host).contains("cannot derive a broker id").doesNotContain("id=");
        }
    }
}
