package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import io.tributary.NodeTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swagger UI in a real browser: headless Chromium (driven by {@code src/test/node/swagger-ui-check.js}
 * through playwright-core) opens {@code /swagger-ui.html}, must show every documented operation, and
 * runs "Try it out" on {@code GET /api/v1/cluster}. The screenshot is left in
 * {@code target/swagger-ui.png}. Skipped without Node.js or Chromium unless {@code CI} is set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureWebTestClient
class SwaggerUiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @Autowired
    void client(WebTestClient client) {
        // the first /v3/api-docs is generated on demand, which can take seconds on a busy machine
        this.client = client.mutate().responseTimeout(Duration.ofMinutes(1)).build();
    }

    private final JsonMapper mapper = JsonMapper.builder().build();

    private static NodeTools node;
    private static Path chromium;

    @BeforeAll
    static void tools() {
        node = NodeTools.require("playwright-core");
        chromium = NodeTools.requireChromium();
    }

    @Test
    void swaggerUiShowsEveryOperationAndTriesOneOut() throws Exception {
        Path screenshot = NodeTools.projectDir().resolve("target").resolve("swagger-ui.png");
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);

        NodeTools.Result run = node.run(Duration.ofMinutes(3), "swagger-ui-check.js",
                "http://127.0.0.1:" + port, screenshot.toString(), chromium.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        String[] lines = run.stdout().strip().split("\n");
        JsonNode seen = mapper.readTree(lines[lines.length - 1]);
        assertThat(seen.path("title").asString()).startsWith("Tributary");
        assertThat(texts(seen.path("tags"))).contains("Topics", "Records", "Cluster");
        Set<String> shown = new TreeSet<>();
        seen.path("operations").forEach(op -> shown.add(op.path("method").asString() + " " + op.path("path").asString()));
        assertThat(shown).contains("POST /api/v1/topics", "GET /api/v1/topics/{topic}",
                        "POST /api/v1/topics/{topic}/records", "GET /api/v1/cluster")
                .containsExactlyInAnyOrderElementsOf(documentedOperations());
        assertThat(seen.at("/tryItOut/status").asString()).isEqualTo("200");
        assertThat(mapper.readTree(seen.at("/tryItOut/body").asString()).path("controllerId").asInt()).isEqualTo(1);
        assertThat(texts(seen.path("consoleErrors"))).isEmpty();
        assertThat(Files.size(screenshot)).isPositive();
    }

    /** "METHOD /path" of every operation in {@code /v3/api-docs}. */
    private Set<String> documentedOperations() {
        JsonNode docs = mapper.readTree(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : docs.path("paths").properties()) {
            path.getValue().properties().forEach(op -> operations.add(op.getKey().toUpperCase() + " " + path.getKey()));
        }
        return operations;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new TreeSet<>();
        array.forEach(t -> texts.add(t.asString()));
        return texts;
    }
}
