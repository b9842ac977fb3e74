package io.tributary;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/** Topics and records through the REST API, for tests of the other fronts. */
public final class TestTopics {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final WebTestClient client;

    public TestTopics(WebTestClient client) {
        this.client = client;
    }

    public void create(String name, int partitions) {
        create(name, partitions, Map.of());
    }

    public void create(String name, int partitions, Map<String, String> configs) {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "partitions", partitions, "configs", configs))
                .exchange().expectStatus().isCreated();
    }

    /** Creates a one-partition topic unless it exists. */
    public void createIfAbsent(String name, Map<String, String> configs) {
        if (client.get().uri("/api/v1/topics/" + name).exchange().returnResult(Void.class).getStatus().value() == 404) {
            create(name, 1, configs);
        }
    }

    /** Produces a REST body ({"records":[...]}) with acks=all; returns the response's offsets. */
    public JsonNode produce(String topic, String body) {
        byte[] response = client.post().uri("/api/v1/topics/" + topic + "/records?acks=all")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return MAPPER.readTree(response).get("offsets");
    }

    /** Produces {@code count} records {"n":i} with no key to one partition. */
    public void produceNumbered(String topic, int partition, int from, int count) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"partition\":").append(partition)
                    .append(",\"value\":{\"n\":").append(from + i).append("}}");
        }
        produce(topic, body.append("]}").toString());
    }

    /** The high watermark of a partition. */
    public long highWatermark(String topic, int partition) {
        byte[] response = client.get().uri("/api/v1/topics/" + topic + "/partitions/" + partition + "/offsets")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return MAPPER.readTree(response).get("latest").asLong();
    }
}
