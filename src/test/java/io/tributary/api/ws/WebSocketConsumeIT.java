package io.tributary.api.ws;

import io.tributary.BrokerTestProperties;
import io.tributary.TestTopics;
import io.tributary.common.TopicPartition;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The WebSocket consume contract against a real broker over real sockets. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class WebSocketConsumeIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ConsumeService consume;

    @LocalServerPort
    int port;

    TestTopics topics;

    @BeforeEach
    void setUp() {
        topics = new TestTopics(client);
    }

    private WsTestClient consume(String query) {
        return WsTestClient.connect(port, "/ws/v1/consume?" + query);
    }

    @Test
    void deliversExistingRecordsFromEarliestThenNewOnesAsTheyArrive() {
        topics.create("live", 1);
        topics.produce("live", "{\"records\":[{\"key\":\"user-1\",\"value\":{\"n\":1},\"headers\":{\"h\":\"v\"}},"
                + "{\"value\":\"two\"},{\"key\":\"k\",\"value\":null}]}");
        try (WsTestClient ws = consume("topics=live&from=earliest")) {
            List<JsonNode> first = ws.records(3);
            assertThat(first).extracting(r -> r.get("offset").asLong()).containsExactly(0L, 1L, 2L);
            JsonNode r0 = first.get(0);
            assertThat(r0.get("topic").asString()).isEqualTo("live");
            assertThat(r0.get("partition").asInt()).isZero();
            assertThat(r0.get("timestamp").asLong()).isPositive();
            assertThat(r0.get("key").asString()).isEqualTo("user-1");
            assertThat(r0.get("value").get("n").asInt()).isEqualTo(1);
            assertThat(r0.get("headers").get("h").asString()).isEqualTo("v");
            assertThat(first.get(1).get("value").asString()).isEqualTo("two");
            assertThat(first.get(1).get("key").isNull()).isTrue();
            assertThat(first.get(2).get("value").isNull()).isTrue();

            topics.produce("live", "{\"records\":[{\"value\":[4]},{\"value\":5}]}");
            assertThat(ws.records(2)).extracting(r -> r.get("offset").asLong()).containsExactly(3L, 4L);
        }
    }

    @Test
    void startsAtLatestAnOffsetOrATime() {
        topics.create("starts", 1);
        topics.produce("starts", "{\"records\":[{\"value\":0,\"timestamp\":1000},{\"value\":1,\"timestamp\":2000},"
                + "{\"value\":2,\"timestamp\":3000},{\"value\":3,\"timestamp\":4000}]}");
        try (WsTestClient latest = consume("topics=starts");
             WsTestClient offset = consume("topics=starts&from=2");
             WsTestClient time = consume("topics=starts&from=time:2500")) {
            assertThat(offset.records(2)).extracting(r -> r.get("offset").asLong()).containsExactly(2L, 3L);
            assertThat(time.records(2)).extracting(r -> r.get("offset").asLong()).containsExactly(2L, 3L);
            await().until(() -> sessionsOf("starts") == 3);
            topics.produce("starts", "{\"records\":[{\"value\":4}]}");
            assertThat(latest.records(1)).extracting(r -> r.get("offset").asLong()).containsExactly(4L);
        }
    }

    @Test
    void consumesSeveralTopicsOrOnePartition() {
        topics.create("multi-a", 2);
        topics.create("multi-b", 1);
        topics.produceNumbered("multi-a", 0, 0, 2);
        topics.produceNumbered("multi-a", 1, 10, 3);
        topics.produceNumbered("multi-b", 0, 20, 1);
        try (WsTestClient all = consume("topics=multi-a,multi-b&from=earliest");
             WsTestClient one = consume("topics=multi-a&partition=1&from=earliest")) {
            assertThat(all.records(6)).extracting(r -> r.get("topic").asString() + "/" + r.get("value").get("n").asInt())
                    .containsExactlyInAnyOrder("multi-a/0", "multi-a/1", "multi-a/10", "multi-a/11", "multi-a/12",
                            "multi-b/20");
            List<JsonNode> records = one.records(3);
            assertThat(records).extracting(r -> r.get("partition").asInt()).containsOnly(1);
            topics.produceNumbered("multi-a", 0, 2, 1);
            topics.produceNumbered("multi-a", 1, 13, 1);
            assertThat(one.records(1)).extracting(r -> r.get("value").get("n").asInt()).containsExactly(13);
        }
    }

    @Test
    void pauseHoldsAPartitionBackUntilResumeAndSeekReplays() {
        topics.create("control", 2);
        try (WsTestClient ws = consume("topics=control&from=earliest")) {
            await().until(() -> sessionsOf("control") == 1);
            ws.send("{\"type\":\"pause\",\"topic\":\"control\",\"partition\":0}");
            barrier(ws);
            topics.produceNumbered("control", 0, 0, 3);
            topics.produceNumbered("control", 1, 100, 1);
            JsonNode first = ws.records(1).get(0);
            assertThat(first.get("partition").asInt()).isEqualTo(1);

            ws.send("{\"type\":\"resume\"}");
            assertThat(ws.records(3)).extracting(r -> r.get("offset").asLong()).containsExactly(0L, 1L, 2L);

            ws.send("{\"type\":\"seek\",\"topic\":\"control\",\"partition\":0,\"offset\":1}");
            assertThat(ws.records(2)).extracting(r -> r.get("offset").asLong()).containsExactly(1L, 2L);
            ws.send("{\"type\":\"seek\",\"topic\":\"control\",\"partition\":1,\"from\":\"earliest\"}");
            assertThat(ws.records(1)).extracting(r -> r.get("value").get("n").asInt()).containsExactly(100);
        }
    }

    /** Control frames apply in order: the refusal of a seek to a partition not assigned proves the ones before applied. */
    private static void barrier(WsTestClient ws) {
        ws.send("{\"type\":\"seek\",\"topic\":\"not-assigned\",\"partition\":0,\"offset\":0}");
        JsonNode error = ws.next("error");
        assertThat(error.get("code").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(error.get("fatal").asBoolean()).isFalse();
    }

    @Test
    void seekOutsideTheLogIsRefusedWithTheRangeAndTheStreamGoesOn() {
        topics.create("seek-range", 1);
        topics.produceNumbered("seek-range", 0, 0, 2);
        try (WsTestClient ws = consume("topics=seek-range&from=earliest")) {
            ws.records(2);
            ws.send("{\"type\":\"seek\",\"topic\":\"seek-range\",\"partition\":0,\"offset\":99}");
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo("OFFSET_OUT_OF_RANGE");
            assertThat(error.get("fatal").asBoolean()).isFalse();
            assertThat(error.get("logStartOffset").asLong()).isZero();
            assertThat(error.get("logEndOffset").asLong()).isEqualTo(2);
            topics.produceNumbered("seek-range", 0, 2, 1);
            assertThat(ws.records(1)).extracting(r -> r.get("offset").asLong()).containsExactly(2L);
        }
    }

    @Test
    void creditModeDeliversNoMoreThanGranted() {
        topics.create("credit", 1);
        topics.produceNumbered("credit", 0, 0, 10);
        try (WsTestClient ws = consume("topics=credit&from=earliest&flow=credit")) {
            await().until(() -> sessionsOf("credit") == 1);
            barrier(ws); // nothing before the first grant
            ws.send("{\"type\":\"credit\",\"messages\":3}");
            assertThat(ws.records(3)).extracting(r -> r.get("offset").asLong()).containsExactly(0L, 1L, 2L);
            barrier(ws); // and nothing more than granted
            ws.send("{\"type\":\"credit\",\"messages\":100,\"bytes\":16}"); // values {"n":3} are 7 bytes
            assertThat(ws.records(2)).extracting(r -> r.get("offset").asLong()).containsExactly(3L, 4L);
            barrier(ws);
            ws.send("{\"type\":\"credit\",\"bytes\":1000}");
            assertThat(ws.records(5)).extracting(r -> r.get("offset").asLong()).containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aConsumerThatDoesNotReadHoldsTheBrokerToOneWriteInFlight() {
        topics.create("slow", 1);
        String value = "x".repeat(1000);
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
        }
        String batch = body.append("]}").toString(); // about 1 MB
        try (WsTestClient ws = WsTestClient.connectNotReading(port, "/ws/v1/consume?topics=slow&from=earliest&valueFormat=string")) {
            await().until(() -> sessionsOf("slow") == 1);
            for (int i = 0; i < 40; i++) {
                topics.produce("slow", batch);
            }
            long produced = topics.highWatermark("slow", 0);
            ConsumeSession session = session("slow");
            // The socket buffers fill and the session stops reading the log: far less than 40 MB left the log.
            AtomicLong previous = new AtomicLong(-1);
            await().until(() -> stalled(session, previous));
            long taken = session.positions().get(new TopicPartition("slow", 0));
            assertThat(taken).isLessThan(produced);
            assertThat(session.stats().maxChunksInFlight()).isEqualTo(1);
            assertThat(session.stats().maxChunkReadBytes()).isLessThanOrEqualTo(2L * 1024 * 1024);

            ws.request(Long.MAX_VALUE);
            List<JsonNode> all = ws.records((int) produced);
            List<Long> offsets = new ArrayList<>();
            all.forEach(r -> offsets.add(r.get("offset").asLong()));
            assertThat(offsets).hasSize((int) produced).isSorted().doesNotHaveDuplicates();
            assertThat(offsets.get(offsets.size() - 1)).isEqualTo(produced - 1);
        }
    }

    /** True when the session's position did not move since the previous look while a chunk is in flight. */
    private static boolean stalled(ConsumeSession session, AtomicLong previous) {
        long position = session.positions().values().iterator().next();
        boolean waitingOnWrite = session.stats().chunksInFlight() == 1;
        return previous.getAndSet(position) == position && waitingOnWrite;
    }

    @ParameterizedTest
    @CsvSource({
            "topics=nope,TOPIC_NOT_FOUND",
            "topics=bad%2Fname,INVALID_TOPIC_NAME",
            "from=earliest,INVALID_REQUEST",
            "topics=errors&partition=5,PARTITION_NOT_FOUND",
            "topics=errors&partition=x,INVALID_REQUEST",
            "topics=errors&from=soon,INVALID_REQUEST",
            "topics=errors&from=7,OFFSET_OUT_OF_RANGE",
            "topics=errors&valueFormat=xml,INVALID_REQUEST",
            "topics=errors&flow=fast,INVALID_REQUEST",
            "topics=errors%2Cother&partition=0,INVALID_REQUEST"})
    void badQueriesGetAnErrorFrameAndAPolicyClose(String query, String code) {
        createOnce("errors");
        try (WsTestClient ws = consume(query)) {
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo(code);
            assertThat(error.get("fatal").asBoolean()).isTrue();
            assertThat(error.get("detail").asString()).isNotBlank();
            assertThat(ws.awaitClose().getCode()).isEqualTo(1008);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|1003",
            "[1,2]|1008",
            "{\"type\":\"jump\"}|1008",
            "{\"type\":\"credit\",\"messages\":5}|1008",
            "{\"type\":\"seek\",\"topic\":\"errors\"}|1008",
            "{\"type\":\"credit\"}|1008"})
    void malformedControlFramesCloseTheConnection(String frame, int status) {
        createOnce("errors");
        try (WsTestClient ws = consume("topics=errors&from=earliest")) {
            ws.send(frame);
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo("INVALID_REQUEST");
            assertThat(ws.awaitClose().getCode()).isEqualTo(status);
        }
    }

    @Test
    void binaryControlFramesAreUnsupportedData() {
        createOnce("errors");
        try (WsTestClient ws = consume("topics=errors")) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.next("error").get("code").asString()).isEqualTo("INVALID_REQUEST");
            assertThat(ws.awaitClose().getCode()).isEqualTo(1003);
        }
    }

    private void createOnce(String topic) {
        topics.createIfAbsent(topic, Map.of());
    }

    private long sessionsOf(String topic) {
        return consume.sessions().stream()
                .filter(s -> s.positions().keySet().stream().anyMatch(tp -> tp.topic().equals(topic)))
                .count();
    }

    private ConsumeSession session(String topic) {
        return consume.sessions().stream()
                .filter(s -> s.positions().keySet().stream().anyMatch(tp -> tp.topic().equals(topic)))
                .findFirst().orElseThrow();
    }

}
