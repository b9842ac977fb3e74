package io.tributary.api.rest;

import io.tributary.api.rest.GroupDtos.MemberRecordsResponse;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.group.GroupDescription;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The group REST API as tests call it. */
public final class GroupClient {

    private final WebTestClient client;

    public GroupClient(WebTestClient client) {
        this.client = client;
    }

    public void createTopic(String name, int partitions) {
        client.post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "partitions", partitions))
                .exchange().expectStatus().isCreated();
    }

    /** Produces {@code count} records to the partition, values "p-n". */
    public void produce(String topic, int partition, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(Map.of("value", "v" + partition + "-" + i, "partition", partition));
        }
        client.post().uri("/api/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("records", records)).exchange().expectStatus().isOk();
    }

    public MemberResponse join(String group, String topic, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>(options);
        body.put("topics", List.of(topic));
        return client.post().uri("/api/v1/groups/" + group + "/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(MemberResponse.class).returnResult().getResponseBody();
    }

    public MemberResponse join(String group, String topic) {
        return join(group, topic, Map.of("autoOffsetReset", "earliest"));
    }

    public MemberRecordsResponse fetch(String group, MemberResponse member, long maxWaitMs) {
        return fetch(group, member, maxWaitMs, 500);
    }

    public MemberRecordsResponse fetch(String group, MemberResponse member, long maxWaitMs, int maxRecords) {
        return client.get().uri("/api/v1/groups/" + group + "/members/" + member.memberId() + "/records?maxWaitMs="
                        + maxWaitMs + "&maxRecords=" + maxRecords)
                .header(GroupController.TOKEN_HEADER, member.token())
                .exchange().expectStatus().isOk()
                .expectBody(MemberRecordsResponse.class).returnResult().getResponseBody();
    }

    public WebTestClient.ResponseSpec commit(String group, MemberResponse member, Integer generation, String topic,
                                             Map<Integer, Long> offsets) {
        List<Map<String, Object>> list = new ArrayList<>();
        offsets.forEach((p, o) -> list.add(Map.of("topic", topic, "partition", p, "offset", o)));
        Map<String, Object> body = new HashMap<>();
        body.put("offsets", list);
        if (generation != null) {
            body.put("generation", generation);
        }
        return client.post().uri("/api/v1/groups/" + group + "/members/" + member.memberId() + "/offsets")
                .header(GroupController.TOKEN_HEADER, member.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    public void leave(String group, MemberResponse member) {
        client.delete().uri("/api/v1/groups/" + group + "/members/" + member.memberId())
                .header(GroupController.TOKEN_HEADER, member.token())
                .exchange().expectStatus().isNoContent();
    }

    public GroupDescription describe(String group) {
        return client.get().uri("/api/v1/groups/" + group).exchange().expectStatus().isOk()
                .expectBody(GroupDescription.class).returnResult().getResponseBody();
    }
}
