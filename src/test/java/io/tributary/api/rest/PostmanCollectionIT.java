package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import io.tributary.NodeTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Postman collection in {@code postman/} with newman against a live broker; any failed
 * assertion fails the test, listed by request. The JSON report is left in
 * {@code target/newman/report.json}. Skipped without Node.js unless {@code CI} is set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class PostmanCollectionIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @LocalServerPort
    int port;

    private static NodeTools node;

    @BeforeAll
    static void tools() {
        node = NodeTools.require("newman");
    }

    @Test
    void theCollectionPassesAgainstALiveBroker() throws Exception {
        Path postman = NodeTools.projectDir().resolve("postman");
        Path report = NodeTools.projectDir().resolve("target").resolve("newman").resolve("report.json");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);

        NodeTools.Result run = node.run(Duration.ofMinutes(5), "node_modules/newman/bin/newman.js", "run",
                postman.resolve("tributary.postman_collection.json").toString(),
                "--environment", postman.resolve("tributary.postman_environment.json").toString(),
                "--env-var", "baseUrl=http://127.0.0.1:" + port,
                "--reporters", "cli,json", "--reporter-json-export", report.toString(),
                "--color", "off", "--timeout-request", "60000");

        assertThat(report).as("newman's JSON report; newman said:\n%s", run.describe()).exists();
        JsonNode stats = JsonMapper.builder().build().readTree(report.toFile()).path("run");
        assertThat(failures(stats.path("failures"))).as(run.stdout()).isEmpty();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(stats.at("/stats/requests/failed").asInt()).isZero();
        assertThat(stats.at("/stats/assertions/total").asInt()).as("assertions run").isPositive();
        assertThat(stats.at("/stats/requests/total").asInt()).as("requests sent").isPositive();
    }

    /** One line per failure: the request, the test and what went wrong. */
    private static List<String> failures(JsonNode failures) {
        List<String> lines = new ArrayList<>();
        for (JsonNode failure : failures) {
            JsonNode error = failure.path("error");
            lines.add(failure.at("/source/name").asString("?") + ": " + error.path("test").asString(error.path("name").asString())
                    + ": " + error.path("message").asString());
        }
        return lines;
    }
}
