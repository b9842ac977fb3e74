package io.tributary.api.ws;

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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket produce contract against a real broker over real sockets. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class WebSocketProduceIT {

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

    TestTopics topics;

    @BeforeEach
    void setUp() {
        topics = new TestTopics(client);
    }

    private WsTestClient produce(String query) {
        return WsTestClient.connect(port, "/ws/v1/produce?" + query);
    }

    @Test
    void pipelinedFramesAreAckedInRequestOrder() {
        topics.create("pipe", 3);
        int frames = 200;
        try (WsTestClient ws = produce("topic=pipe&acks=all")) {
            for (int i = 0; i < frames; i++) {
                ws.send("{\"id\":\"f" + i + "\",\"records\":[{\"key\":\"k" + (i % 7) + "\",\"value\":{\"i\":" + i
                        + "}},{\"partition\":2,\"value\":\"x\",\"headers\":{\"h\":\"" + i + "\"}}]}");
            }
            long[] last = {-1, -1, -1};
            for (int i = 0; i < frames; i++) {
                JsonNode ack = ws.next("ack");
                assertThat(ack.get("id").asString()).isEqualTo("f" + i);
                assertThat(ack.get("offsets")).hasSize(2);
                for (JsonNode position : ack.get("offsets")) {
                    int p = position.get("partition").asInt();
                    assertThat(position.get("offset").asLong()).isGreaterThan(last[p]);
                    assertThat(position.get("timestamp").asLong()).isPositive();
                    last[p] = position.get("offset").asLong();
                }
                assertThat(ack.get("offsets").get(1).get("partition").asInt()).isEqualTo(2);
            }
        }
        long total = topics.highWatermark("pipe", 0) + topics.highWatermark("pipe", 1) + topics.highWatermark("pipe", 2);
        assertThat(total).isEqualTo(2L * frames);
    }

    @Test
    void idsAreEchoedAsSentAndFramesMayNameTheirTopicAndAcks() {
        topics.create("echo-a", 1);
        topics.create("echo-b", 1);
        try (WsTestClient ws = produce("topic=echo-a")) {
            ws.send("{\"id\":{\"n\":[1,2]},\"records\":[{\"value\":1}]}");
            assertThat(ws.next("ack").get("id").get("n").get(1).asInt()).isEqualTo(2);
            ws.send("{\"records\":[{\"value\":1}],\"topic\":\"echo-b\",\"id\":7}");
            JsonNode ack = ws.next("ack");
            assertThat(ack.get("id").asInt()).isEqualTo(7);
            ws.send("{\"id\":8,\"acks\":0,\"records\":[{\"value\":1}]}");
            assertThat(ws.next("ack").get("offsets")).isEmpty();
            ws.send("{\"records\":[{\"value\":1}]}");
            assertThat(ws.next("ack").get("id").isNull()).isTrue();
        }
        assertThat(topics.highWatermark("echo-a", 0)).isEqualTo(3);
        assertThat(topics.highWatermark("echo-b", 0)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1,\"records\":\"no\"}|INVALID_REQUEST",
            "{\"id\":1}|INVALID_REQUEST",
            "{\"id\":1,\"records\":[]}|INVALID_REQUEST",
            "{\"id\":1,\"records\":[1]}|INVALID_REQUEST",
            "{\"records\":[{\"value\":1}],\"id\":1,\"type\":\"consume\"}|INVALID_REQUEST",
            "{\"id\":1,\"acks\":\"2\",\"records\":[{\"value\":1}]}|INVALID_REQUEST",
            "{\"id\":1,\"acks\":[1],\"records\":[{\"value\":1}]}|INVALID_REQUEST",
            "{\"id\":1,\"topic\":\"nope\",\"records\":[{\"value\":1}]}|TOPIC_NOT_FOUND",
            "{\"id\":1,\"topic\":\"../x\",\"records\":[{\"value\":1}]}|INVALID_TOPIC_NAME",
            "{\"id\":1,\"records\":[{\"value\":1},{\"partition\":9,\"value\":2}]}|PARTITION_NOT_FOUND",
            "{\"id\":1,\"records\":[{\"value\":1},{\"value\":\"LONG\"}]}|RECORD_TOO_LARGE",
            "{\"id\":1,\"records\":[{\"value\":1},{\"timestamp\":-5,\"value\":1}]}|INVALID_RECORD",
            "{\"id\":1,\"records\":[{\"value\":1},{\"value\":{\"a\":}}]}|INVALID_REQUEST"})
    void aBadFrameGetsAnErrorWritesNothingAndTheConnectionStaysOpen(String frame, String code) {
        topics.createIfAbsent("strict", Map.of("max.message.bytes", "2000"));
        long before = topics.highWatermark("strict", 0);
        try (WsTestClient ws = produce("topic=strict")) {
            ws.send(frame.replace("LONG", "y".repeat(5000)));
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo(code);
            assertThat(error.get("fatal").asBoolean()).isFalse();
            assertThat(error.get("id").asInt()).as(error.toString()).isEqualTo(1);
            ws.send("{\"id\":2,\"records\":[{\"value\":\"fine\"}]}");
            assertThat(ws.next("ack").get("id").asInt()).isEqualTo(2);
        }
        assertThat(topics.highWatermark("strict", 0)).isEqualTo(before + 1);
    }

    @Test
    void badBase64IsAnInvalidRecord() {
        topics.createIfAbsent("strict", Map.of("max.message.bytes", "2000"));
        long before = topics.highWatermark("strict", 0);
        try (WsTestClient ws = produce("topic=strict&valueFormat=base64")) {
            ws.send("{\"id\":\"b\",\"records\":[{\"value\":\"aGk=\"},{\"value\":\"!!not base64!!\"}]}");
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo("INVALID_RECORD");
            assertThat(error.get("id").asString()).isEqualTo("b");
            ws.send("{\"id\":\"c\",\"records\":[{\"value\":\"aGk=\"}]}");
            assertThat(ws.next("ack").get("id").asString()).isEqualTo("c");
        }
        assertThat(topics.highWatermark("strict", 0)).isEqualTo(before + 1);
    }

    @Test
    void aFrameThatIsNotJsonEndsTheConnectionAfterTheFramesBeforeIt() {
        topics.createIfAbsent("strict", Map.of("max.message.bytes", "2000"));
        long before = topics.highWatermark("strict", 0);
        try (WsTestClient ws = produce("topic=strict")) {
            ws.send("{\"id\":1,\"records\":[{\"value\":1}]}");
            ws.send("this is not json");
            ws.send("{\"id\":3,\"records\":[{\"value\":3}]}");
            assertThat(ws.next("ack").get("id").asInt()).isEqualTo(1);
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo("INVALID_REQUEST");
            assertThat(error.get("fatal").asBoolean()).isTrue();
            assertThat(error.get("id").isNull()).isTrue();
            assertThat(ws.awaitClose().getCode()).isEqualTo(1003);
        }
        assertThat(topics.highWatermark("strict", 0)).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @CsvSource({
            "topic=nope,TOPIC_NOT_FOUND",
            "topic=bad%2Fname,INVALID_TOPIC_NAME",
            "topic=strict&acks=2,INVALID_REQUEST",
            "topic=strict&keyFormat=xml,INVALID_REQUEST"})
    void badQueriesGetAnErrorFrameAndAPolicyClose(String query, String code) {
        topics.createIfAbsent("strict", Map.of("max.message.bytes", "2000"));
        try (WsTestClient ws = produce(query)) {
            JsonNode error = ws.next("error");
            assertThat(error.get("code").asString()).isEqualTo(code);
            assertThat(error.get("fatal").asBoolean()).isTrue();
            assertThat(ws.awaitClose().getCode()).isEqualTo(1008);
        }
    }

    @Test
    void producedRecordsReachAConsumer() {
        topics.create("round-trip", 1);
        try (WsTestClient consumer = WsTestClient.connect(port, "/ws/v1/consume?topics=round-trip&from=earliest");
             WsTestClient producer = produce("topic=round-trip")) {
            producer.send("{\"id\":1,\"records\":[{\"key\":\"k\",\"value\":{\"deep\":[true,null,1.5]},"
                    + "\"headers\":{\"a\":\"b\"}},{\"value\":\"text\"}]}");
            producer.next("ack");
            var records = consumer.records(2);
            assertThat(records.get(0).get("value").get("deep").get(2).asDouble()).isEqualTo(1.5);
            assertThat(records.get(0).get("headers").get("a").asString()).isEqualTo("b");
            assertThat(records.get(1).get("value").asString()).isEqualTo("text");
        }
    }
}
