package io.tributary.deploy;

import io.tributary.NodeTools;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile passes dockerfilelint (no Docker engine is needed to lint it), and keeps the
 * properties the deployment relies on: a separate build stage, a JRE base, a non-root user, the
 * data volume, both ports and a health check.
 */
class DockerfileLintIT {

    private static final Path DOCKERFILE = NodeTools.projectDir().resolve("Dockerfile");

    @Test
    void dockerfilelintFindsNoIssue() throws Exception {
        NodeTools node = NodeTools.require("dockerfilelint");
        NodeTools.Result result = node.run(Duration.ofMinutes(1), "node_modules/dockerfilelint/bin/dockerfilelint",
                "-o", "json", DOCKERFILE.toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).as(result.describe()).contains("\"totalIssues\":0");
    }

    @Test
    void imageIsMultiStageNonRootWithAVolumePortsAndAHealthCheck() throws Exception {
        List<String> lines = Files.readAllLines(DOCKERFILE).stream().map(String::strip).toList();
        assertThat(lines).filteredOn(l -> l.startsWith("FROM ")).containsExactly(
                "FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");
        assertThat(lines).contains("USER 1001:1001", "VOLUME [\"/data\"]", "EXPOSE 8080 9093");
        assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK ")).anyMatch(l -> l.contains("/actuator/health/liveness"));
        assertThat(lines).anyMatch(l -> l.contains("extract --layers --launcher"));
        assertThat(lines).anyMatch(l -> l.contains("MaxRAMPercentage"));
    }
}
