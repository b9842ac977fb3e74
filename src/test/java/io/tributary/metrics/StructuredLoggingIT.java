package io.tributary.metrics;

import io.tributary.BrokerTestProperties;
import io.tributary.api.rest.GroupClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With the JSON console format on, storage and replication events carry their topic and partition as fields. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=ecs")
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @Autowired
    WebTestClient client;

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        return output.getOut().lines().filter(l -> l.startsWith("{")).map(MAPPER::readTree).toList();
    }

    @Test
    void leadershipEventsAreJsonLinesWithTopicAndPartitionFields(CapturedOutput output) {
        new GroupClient(client).createTopic("structured", 2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jsonLines(output))
                .filteredOn(n -> n.path("topic").asString("").equals("structured"))
                .extracting(n -> n.path("partition").asString(""))
                .contains("0", "1"));
        JsonNode event = jsonLines(output).stream().filter(n -> n.path("topic").asString("").equals("structured"))
                .findFirst().orElseThrow();
        assertThat(event.path("log").path("logger").asString("")).isEqualTo("io.tributary.replication.ReplicaManager");
        assertThat(event.path("message").asString("")).contains("is leader of structured-");
    }
}
