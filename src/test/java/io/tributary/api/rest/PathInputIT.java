package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topic names and offsets that arrive in the URL path or query, sent exactly as written (already
 * percent-encoded, never normalised by the client): each is refused with a problem detail and
 * nothing reaches the data directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PathInputIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @BeforeEach
    void createTopic() {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "guarded", "partitions", 1))
                .exchange().expectStatus().value(status -> assertThat(status).isIn(201, 409));
    }

    private URI raw(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private List<String> logDirectories() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("logs"))) {
            return files.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e", "..%2Fx", "a%2Fb", "caf%C3%A9", "%2E", "%00x", "__consumer_offsets-x"})
    void encodedTopicNamesInThePathAreRefused(String encoded) throws Exception {
        List<String> before = logDirectories();
        for (String path : List.of("/api/v1/topics/" + encoded, "/api/v1/topics/" + encoded + "/partitions/0/records",
                "/api/v1/topics/" + encoded + "/partitions/0/offsets")) {
            client.get().uri(raw(path)).exchange()
                    .expectStatus().value(status -> assertThat(status).as(path).isIn(400, 404))
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").value(code ->
                            assertThat((String) code).isIn("INVALID_TOPIC_NAME", "TOPIC_NOT_FOUND", "INVALID_REQUEST"));
        }
        client.post().uri(raw("/api/v1/topics/" + encoded + "/records")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(400, 403, 404))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.delete().uri(raw("/api/v1/topics/" + encoded)).exchange()
                .expectStatus().value(status -> assertThat(status).isIn(400, 403, 404));
        assertThat(logDirectories()).isEqualTo(before);
        assertThat(Files.exists(dataDir.resolve("x"))).isFalse();
    }

    @Test
    void aTopicNameOfTwoHundredAndFiftyCharactersInThePathIsInvalid() {
        client.get().uri(raw("/api/v1/topics/" + "x".repeat(250))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_TOPIC_NAME");
    }

    @Test
    void negativeAndMalformedOffsetsAreRefused() {
        client.get().uri(raw("/api/v1/topics/guarded/partitions/0/records?offset=-5")).exchange()
                .expectStatus().is4xxClientError().expectBody().jsonPath("$.code").isEqualTo("OFFSET_OUT_OF_RANGE");
        client.get().uri(raw("/api/v1/topics/guarded/partitions/0/records?offset=ten")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        client.get().uri(raw("/api/v1/topics/guarded/partitions/-1/records?offset=0")).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        client.get().uri(raw("/api/v1/topics/guarded/partitions/0/records?offset=0&maxRecords=0")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
    }

    @Test
    void usersCannotWriteToOrDeleteInternalTopics() {
        client.post().uri(raw("/api/v1/topics/__consumer_offsets/records")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(403, 404));
        client.delete().uri(raw("/api/v1/topics/__consumer_offsets")).exchange()
                .expectStatus().value(status -> assertThat(status).isIn(403, 404));
    }
}
