package io.tributary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker stopped and started again on the same data directory keeps its topics and records. */
class BrokerRestartIT {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TributaryApplication.class).run(
                "--server.port=0",
                "--tributary.data-dir=" + dataDir,
                "--tributary.zookeeper.embedded-port=0",
                "--tributary.replication.port=0");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void topicsAndRecordsSurviveACleanRestart() {
        try (ConfigurableApplicationContext first = start()) {
            WebTestClient client = client(first);
            client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "durable", "partitions", 2)).exchange().expectStatus().isCreated();
            client.post().uri("/api/v1/topics/durable/records").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"records\":[{\"value\":\"a\",\"partition\":0},{\"value\":\"b\",\"partition\":0},"
                            + "{\"value\":\"c\",\"partition\":1}]}")
                    .exchange().expectStatus().isOk();
        }
        assertThat(Files.exists(dataDir.resolve("logs").resolve(".clean-shutdown"))).isTrue();

        try (ConfigurableApplicationContext second = start()) {
            WebTestClient client = client(second);
            client.get().uri("/api/v1/topics/durable").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.partitions[0].highWatermark").isEqualTo(2)
                    .jsonPath("$.partitions[1].highWatermark").isEqualTo(1);
            client.get().uri("/api/v1/topics/durable/partitions/0/records?offset=0").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.records[0].value").isEqualTo("a").jsonPath("$.records[1].value").isEqualTo("b");
            client.get().uri("/api/v1/topics?name=durable").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.totalItems").isEqualTo(1);
            client.post().uri("/api/v1/topics/durable/records").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"records\":[{\"value\":\"d\",\"partition\":0}]}")
                    .exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.offsets[0].offset").isEqualTo(2);
        }
    }
}
