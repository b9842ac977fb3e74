package io.tributary.api.sse;

import io.tributary.BrokerTestProperties;
import io.tributary.TestTopics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Server-Sent Events stream of a topic against a real broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TopicEventsIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT =
            new ParameterizedTypeReference<>() { };

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
        registry.add("tributary.streaming.heartbeat", () -> "300ms");
    }

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    TestTopics topics;

    @BeforeEach
    void setUp() {
        topics = new TestTopics(client);
    }

    private Flux<ServerSentEvent<String>> events(String topic, String query, String lastEventId) {
        return WebClient.create("http://127.0.0.1:" + port).get()
                .uri("/api/v1/topics/" + topic + "/events" + query)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve().bodyToFlux(EVENT);
    }

    /** Record events only (comments are heartbeats). */
    private Flux<ServerSentEvent<String>> records(String topic, String query, String lastEventId) {
        return events(topic, query, lastEventId).filter(e -> e.data() != null && e.event() == null);
    }

    @Test
    void resumingWithLastEventIdHasNoGapAndNoDuplicate() {
        topics.create("resume", 3);
        for (int p = 0; p < 3; p++) {
            topics.produceNumbered("resume", p, p * 100, 10);
        }
        List<ServerSentEvent<String>> first = records("resume", "?from=earliest", null).take(12).collectList().block(WAIT);
        assertThat(first).hasSize(12);
        String lastId = first.get(first.size() - 1).id();
        assertThat(lastId).matches("0:\\d+,1:\\d+,2:\\d+");

        for (int p = 0; p < 3; p++) {
            topics.produceNumbered("resume", p, p * 100 + 10, 5);
        }
        List<ServerSentEvent<String>> rest = records("resume", "?from=latest", lastId).take(33).collectList().block(WAIT);

        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        for (ServerSentEvent<String> event : concat(first, rest)) {
            JsonNode record = MAPPER.readTree(event.data());
            String position = record.get("partition").asInt() + "@" + record.get("offset").asLong();
            all.add(position);
            seen.add(position);
        }
        assertThat(all).hasSize(45);
        assertThat(seen).hasSize(45);
        for (int p = 0; p < 3; p++) {
            for (int o = 0; o < 15; o++) {
                assertThat(seen).contains(p + "@" + o);
            }
        }
    }

    @Test
    void eachEventIdNamesTheNextOffsetOfEveryPartition() {
        topics.create("ids", 2);
        topics.produceNumbered("ids", 1, 0, 2);
        List<ServerSentEvent<String>> events = records("ids", "?from=earliest", null).take(2).collectList().block(WAIT);
        assertThat(events).extracting(ServerSentEvent::id).containsExactly("0:0,1:1", "0:0,1:2");
        assertThat(MAPPER.readTree(events.get(1).data()).get("value").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void recordsArriveLiveAndIdleStreamsGetHeartbeats() {
        topics.create("live-events", 1);
        List<ServerSentEvent<String>> received = new ArrayList<>();
        var subscription = events("live-events", "", null).subscribe(received::add);
        try {
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .until(() -> received.stream().anyMatch(e -> "keep-alive".equals(e.comment())));
            topics.produceNumbered("live-events", 0, 7, 1);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.data() != null));
            ServerSentEvent<String> event = received.stream().filter(e -> e.data() != null).findFirst().orElseThrow();
            assertThat(event.id()).isEqualTo("0:1");
            assertThat(MAPPER.readTree(event.data()).get("value").get("n").asInt()).isEqualTo(7);
        } finally {
            subscription.dispose();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "garbage|400|INVALID_REQUEST",
            "0:1,0:2|400|INVALID_REQUEST",
            "0:1,5:0|400|INVALID_REQUEST",
            "0:-1|400|INVALID_REQUEST",
            "0:x|400|INVALID_REQUEST",
            "0:1,|400|INVALID_REQUEST",
            "0:99|416|OFFSET_OUT_OF_RANGE"})
    void aBadLastEventIdIsAProblemBeforeTheStreamStarts(String id, int status, String code) {
        topics.createIfAbsent("bad-ids", java.util.Map.of());
        client.get().uri("/api/v1/topics/bad-ids/events").accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", id)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nope||404|TOPIC_NOT_FOUND",
            "bad-ids|?from=soon|400|INVALID_REQUEST",
            "bad-ids|?valueFormat=xml|400|INVALID_REQUEST",
            "bad-ids|?from=42|416|OFFSET_OUT_OF_RANGE"})
    void badParametersAreProblems(String topic, String query, int status, String code) {
        topics.createIfAbsent("bad-ids", java.util.Map.of());
        client.get().uri("/api/v1/topics/" + topic + "/events" + (query == null ? "" : query))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().jsonPath("$.code").isEqualTo(code);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
