package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST contract of topics and records against a real broker (embedded ZooKeeper, files, H2). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TopicAndRecordApiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @Autowired
    WebTestClient client;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    private void createTopic(String name, int partitions) {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "partitions", partitions))
                .exchange().expectStatus().isCreated();
    }

    @Test
    void createDescribeAndListATopic() {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "orders", "partitions", 3, "replicationFactor", 1,
                        "configs", Map.of("retention.ms", "3600000")))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/topics/orders")
                .expectBody()
                .jsonPath("$.name").isEqualTo("orders")
                .jsonPath("$.partitions.length()").isEqualTo(3)
                .jsonPath("$.partitions[0].leader").isEqualTo(1)
                .jsonPath("$.partitions[0].isr[0]").isEqualTo(1)
                .jsonPath("$.partitions[0].highWatermark").isEqualTo(0)
                .jsonPath("$.configs['retention.ms']").isEqualTo("3600000");

        assertThat(Files.isDirectory(dataDir.resolve("logs").resolve("orders-2"))).isTrue();

        client.get().uri("/api/v1/topics/orders").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.replicationFactor").isEqualTo(1);
        client.get().uri("/api/v1/topics?name=ORD").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].name").isEqualTo("orders")
                .jsonPath("$.items[0].partitions").isEqualTo(3);
    }

    @Test
    void creatingAnExistingTopicIsAConflict() {
        createTopic("dup", 1);
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "dup"))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("TOPIC_ALREADY_EXISTS").jsonPath("$.retriable").isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "%2e%2e", ".", "..", "caf\u00e9", "has space", "__internal"})
    void badTopicNamesAreRefusedAndNothingIsCreated(String name) throws Exception {
        long before;
        try (var files = Files.list(dataDir.resolve("logs"))) {
            before = files.count();
        }
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_TOPIC_NAME");
        try (var files = Files.list(dataDir.resolve("logs"))) {
            assertThat(files.count()).isEqualTo(before);
        }
    }

    @Test
    void tooLongTopicNameIsRefused() {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x".repeat(250)))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_TOPIC_NAME");
    }

    @Test
    void badPartitionsReplicationFactorAndConfigsAreRefused() {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "p0", "partitions", 0)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_PARTITIONS");
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "rf2", "replicationFactor", 2)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REPLICATION_FACTOR");
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "cfg", "configs", Map.of("retention.ms", "soon"))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_CONFIG");
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "cfg2", "configs", Map.of("no.such.config", "1"))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_CONFIG");
        client.get().uri("/api/v1/topics/cfg").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("TOPIC_NOT_FOUND");
    }

    @Test
    void produceThenFetchReturnsTheRecordsInOrder() {
        createTopic("events", 1);
        client.post().uri("/api/v1/topics/events/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"key\":\"user-1\",\"value\":{\"n\":1},\"headers\":{\"h\":\"v\"}},"
                        + "{\"value\":\"two\"},{\"key\":\"k\",\"value\":null}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.offsets.length()").isEqualTo(3)
                .jsonPath("$.offsets[0].offset").isEqualTo(0)
                .jsonPath("$.offsets[2].offset").isEqualTo(2);

        client.get().uri("/api/v1/topics/events/partitions/0/records?offset=0").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.records.length()").isEqualTo(3)
                .jsonPath("$.records[0].key").isEqualTo("user-1")
                .jsonPath("$.records[0].value.n").isEqualTo(1)
                .jsonPath("$.records[0].headers.h").isEqualTo("v")
                .jsonPath("$.records[1].value").isEqualTo("two")
                .jsonPath("$.records[2].value").isEmpty()
                .jsonPath("$.nextOffset").isEqualTo(3)
                .jsonPath("$.highWatermark").isEqualTo(3);

        client.get().uri("/api/v1/topics/events/partitions/0/records?offset=1&maxRecords=1").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.records.length()").isEqualTo(1)
                .jsonPath("$.records[0].offset").isEqualTo(1)
                .jsonPath("$.nextOffset").isEqualTo(2);
    }

    @Test
    void ndjsonStreamsRecordsInAndPositionsOutInOrder() {
        createTopic("stream", 1);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            lines.append("{\"value\":").append(i).append("}\n");
        }
        String out = client.post().uri("/api/v1/topics/stream/records")
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .accept(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(lines.toString())
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        String[] results = out.trim().split("\n");
        assertThat(results).hasSize(2500);
        for (int i = 0; i < results.length; i++) {
            assertThat(results[i]).contains("\"offset\":" + i + ",");
        }
        client.get().uri("/api/v1/topics/stream/partitions/0/records?offset=2499").exchange()
                .expectBody().jsonPath("$.records[0].value").isEqualTo(2499);
    }

    @Test
    void ndjsonStreamTakesALastLineWithoutNewlineAndSkipsBlankLines() {
        createTopic("stream-tail", 1);
        String out = postNdjson("/api/v1/topics/stream-tail/records?acks=1",
                "{\"value\":{\"a\": [1, 2]}}\n\n{\"key\":\"k\",\"value\":\"last\"}");
        assertThat(out.trim().split("\n")).hasSize(2);
        assertThat(out).startsWith("{\"partition\":0,\"offset\":0,\"timestamp\":").contains("\"offset\":1,");
        client.get().uri("/api/v1/topics/stream-tail/partitions/0/records?offset=0").exchange()
                .expectBody()
                .jsonPath("$.records[0].value.a[1]").isEqualTo(2)
                .jsonPath("$.records[1].key").isEqualTo("k")
                .jsonPath("$.records[1].value").isEqualTo("last");
    }

    @Test
    void ndjsonStreamEndsWithAnErrorLineAfterTheGoodRecords() {
        createTopic("stream-bad", 1);
        String out = postNdjson("/api/v1/topics/stream-bad/records", "{\"value\":1}\n{\"value\":2,\"partition\":5}\n");
        assertThat(out).contains("PARTITION_NOT_FOUND");
    }

    private String postNdjson(String uri, String lines) {
        return client.post().uri(uri)
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(lines)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void keysLandInKafkasPartitions() {
        createTopic("keyed", 6);
        client.post().uri("/api/v1/topics/keyed/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"key\":\"user-1\",\"value\":1},{\"key\":\"abc\",\"value\":2},"
                        + "{\"key\":\"x\",\"value\":3}]}")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.offsets[0].partition").isEqualTo(2)
                .jsonPath("$.offsets[1].partition").isEqualTo(3)
                .jsonPath("$.offsets[2].partition").isEqualTo(4);
    }

    @Test
    void base64AndStringFormatsRoundTrip() {
        createTopic("binary", 1);
        client.post().uri("/api/v1/topics/binary/records?keyFormat=base64&valueFormat=base64")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"key\":\"AAEC\",\"value\":\"/+7d\"}]}")
                .exchange().expectStatus().isOk();
        client.get().uri("/api/v1/topics/binary/partitions/0/records?keyFormat=base64&valueFormat=base64").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.records[0].key").isEqualTo("AAEC").jsonPath("$.records[0].value").isEqualTo("/+7d");
    }

    @Test
    void longPollIsAnsweredByTheNextAppend() throws Exception {
        createTopic("poll", 1);
        var pending = org.springframework.web.reactive.function.client.WebClient.create("http://localhost:" + port)
                .get().uri("/api/v1/topics/poll/partitions/0/records?offset=0&maxWaitMs=30000")
                .retrieve().bodyToMono(String.class).toFuture();
        client.post().uri("/api/v1/topics/poll/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":\"late\"}]}").exchange().expectStatus().isOk();
        assertThat(pending.get(20, java.util.concurrent.TimeUnit.SECONDS)).contains("\"value\":\"late\"");
    }

    @Test
    void badProduceRequestsAreRefusedAndWriteNothing() {
        createTopic("strict", 2);
        client.post().uri("/api/v1/topics/strict/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1},").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        client.post().uri("/api/v1/topics/strict/records?acks=2").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        client.post().uri("/api/v1/topics/strict/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1},{\"value\":2,\"partition\":7}]}").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        client.post().uri("/api/v1/topics/strict/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1,\"partition\":0},{\"value\":\"" + "x".repeat(1_100_000)
                        + "\",\"partition\":1}]}").exchange()
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("RECORD_TOO_LARGE");
        client.post().uri("/api/v1/topics/strict/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}]}").exchange()
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("REQUEST_TOO_LARGE");
        client.post().uri("/api/v1/topics/nope/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("TOPIC_NOT_FOUND");
        client.post().uri("/api/v1/topics/strict/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[]}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");

        for (int p = 0; p < 2; p++) {
            client.get().uri("/api/v1/topics/strict/partitions/" + p + "/offsets").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.latest").isEqualTo(0);
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRangeWithTheValidRange() {
        createTopic("range", 1);
        client.post().uri("/api/v1/topics/range/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1},{\"value\":2}]}").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/topics/range/partitions/0/records?offset=5").exchange()
                .expectStatus().isEqualTo(416)
                .expectBody().jsonPath("$.code").isEqualTo("OFFSET_OUT_OF_RANGE")
                .jsonPath("$.logStartOffset").isEqualTo(0).jsonPath("$.logEndOffset").isEqualTo(2);
        client.get().uri("/api/v1/topics/range/partitions/0/records?offset=-1").exchange()
                .expectStatus().isEqualTo(416).expectBody().jsonPath("$.code").isEqualTo("OFFSET_OUT_OF_RANGE");
        client.get().uri("/api/v1/topics/range/partitions/9/records?offset=0").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
    }

    @Test
    void offsetsByTimestamp() {
        createTopic("times", 1);
        client.post().uri("/api/v1/topics/times/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1,\"timestamp\":1000},{\"value\":2,\"timestamp\":2000}]}")
                .exchange().expectStatus().isOk();
        client.get().uri("/api/v1/topics/times/partitions/0/offsets?timestamp=1500").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.earliest").isEqualTo(0).jsonPath("$.latest").isEqualTo(2)
                .jsonPath("$.offsetForTimestamp").isEqualTo(1);
    }

    @Test
    void deleteRemovesTheTopicAndItsFiles() {
        createTopic("gone", 2);
        client.delete().uri("/api/v1/topics/gone").exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/topics/gone").exchange().expectStatus().isNotFound();
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(Files.exists(dataDir.resolve("logs").resolve("gone-0"))).isFalse());
        client.delete().uri("/api/v1/topics/gone").exchange().expectStatus().isNotFound();
    }

    @Test
    void patchChangesConfigsAndAddsPartitions() {
        createTopic("grow", 1);
        client.patch().uri("/api/v1/topics/grow").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("partitions", 3, "configs", Map.of("retention.bytes", "1000000")))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.partitions.length()").isEqualTo(3)
                .jsonPath("$.configs['retention.bytes']").isEqualTo("1000000");
        client.patch().uri("/api/v1/topics/grow").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("partitions", 2)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_PARTITIONS");
    }

    @Test
    void clusterShowsThisBrokerAsController() {
        client.get().uri("/api/v1/cluster").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.controllerId").isEqualTo(1)
                .jsonPath("$.brokers[0].id").isEqualTo(1)
                .jsonPath("$.clusterId").isNotEmpty();
    }
}
