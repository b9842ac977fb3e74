package io.tributary.replication;

import io.tributary.api.rest.GroupClient;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.api.ws.WsTestClient;
import io.tributary.cluster.PartitionState;
import io.tributary.common.TopicPartition;
import io.tributary.group.CoordinatorPlacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams served by any broker: a WebSocket producer writes through the leader; a WebSocket or
 * SSE consumer connected to one broker reads
 * partitions led by others (from their leaders, behind the scenes), and keeps its place when a
 * partition's leadership moves mid-stream, away from another broker to this one and back again,
 * with no record lost or delivered twice. A REST group member read on its coordinator gets the
 * records of partitions led elsewhere. One three-broker cluster serves every test (each its own
 * topic; a test that stops a broker starts it again).
 */
class StreamRoutingIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int OFFSETS_PARTITIONS = 3;

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3, "--tributary.group.offsets-topic-partitions=" + OFFSETS_PARTITIONS);

    @Test
    void aWebSocketOnOneBrokerReadsEveryPartitionFromItsLeader() {
        cluster.createTopic(1, "spread", 3, 1, Map.of());
        int via = 1;
        long remote = IntStream.range(0, 3).filter(p -> leader("spread", p) != via).count();
        assertThat(remote).as("partitions led by other brokers than the consumer's").isGreaterThanOrEqualTo(1);

        try (WsTestClient ws = WsTestClient.connect(cluster.restPort(via), "/ws/v1/consume?topic=spread&from=earliest")) {
            for (int round = 0; round < 3; round++) {
                for (int p = 0; p < 3; p++) {
                    produce(2, "spread", p, round * 10, 10);
                }
            }
            Map<Integer, List<Long>> offsets = new HashMap<>();
            Map<Integer, List<Integer>> values = new HashMap<>();
            for (JsonNode record : ws.records(90)) {
                int partition = record.get("partition").asInt();
                offsets.computeIfAbsent(partition, k -> new ArrayList<>()).add(record.get("offset").asLong());
                values.computeIfAbsent(partition, k -> new ArrayList<>()).add(record.get("value").asInt());
            }
            for (int p = 0; p < 3; p++) {
                assertThat(offsets.get(p)).as("partition %d, in order, each once", p)
                        .isEqualTo(IntStream.range(0, 30).mapToObj(i -> (long) i).toList());
                assertThat(values.get(p)).isEqualTo(IntStream.range(0, 30).boxed().toList());
            }
        }
    }

    @Test
    void aStreamFollowsItsPartitionsLeadershipAwayAndBackWithoutLossOrRepeat() {
        cluster.createTopic(1, "moving", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("moving", 0);
        int first = leader("moving", 0);
        int via = first == 3 ? 2 : 3;
        int writer = 6 - first - via;

        try (WsTestClient ws = WsTestClient.connect(cluster.restPort(via), "/ws/v1/consume?topic=moving&partition=0&from=earliest")) {
            int sent = 0;
            produce(writer, "moving", 0, sent, 20);
            sent += 20;
            List<JsonNode> received = new ArrayList<>(ws.records(20));

            cluster.stop(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                PartitionState s = cluster.metadata(via).partitionState(tp).orElseThrow();
                return s.hasLeader() && s.leader() != first;
            });
            produce(writer, "moving", 0, sent, 20);
            sent += 20;
            received.addAll(ws.records(20));

            cluster.start(first);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.isRunning(first)
                    && cluster.metadata(via).partitionState(tp).map(PartitionState::leader).orElse(-1) == first);
            produce(writer, "moving", 0, sent, 20);
            sent += 20;
            received.addAll(ws.records(20));

            assertThat(received).extracting(r -> r.get("offset").asLong())
                    .as("every offset once, in order, across two leader changes")
                    .isEqualTo(IntStream.range(0, sent).mapToObj(i -> (long) i).toList());
            assertThat(received).extracting(r -> r.get("value").asInt()).isEqualTo(IntStream.range(0, sent).boxed().toList());
        }
    }

    @Test
    void aWebSocketProducerOnABrokerThatIsNoReplicaWritesThroughTheLeader() {
        cluster.createTopic(1, "written", 1, 1, Map.of());
        int leader = leader("written", 0);
        int via = leader == 1 ? 2 : 1;
        int reader = 6 - leader - via;
        try (WsTestClient ws = WsTestClient.connect(cluster.restPort(via), "/ws/v1/produce?topic=written&acks=all")) {
            for (int i = 0; i < 20; i++) {
                ws.send("{\"id\":" + i + ",\"records\":[{\"value\":" + i + "}]}");
            }
            for (int i = 0; i < 20; i++) {
                JsonNode ack = ws.next("ack");
                assertThat(ack.get("id").asInt()).isEqualTo(i);
                assertThat(ack.get("offsets").get(0).get("offset").asLong()).isEqualTo(i);
            }
        }
        try (WsTestClient ws = WsTestClient.connect(cluster.restPort(reader), "/ws/v1/consume?topic=written&from=earliest")) {
            assertThat(ws.records(20)).extracting(r -> r.get("value").asInt()).isEqualTo(IntStream.range(0, 20).boxed().toList());
        }
    }

    @Test
    void serverSentEventsOnABrokerThatIsNoReplicaReadTheLeader() {
        cluster.createTopic(1, "sent", 1, 1, Map.of());
        int leader = leader("sent", 0);
        int via = leader == 1 ? 2 : 1;
        produce(leader, "sent", 0, 0, 5);

        List<ServerSentEvent<String>> events = cluster.client(via).get().uri("/api/v1/topics/sent/events?from=earliest")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody().filter(e -> e.data() != null).take(5).collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(e -> MAPPER.readTree(e.data()).get("value").asInt()).containsExactly(0, 1, 2, 3, 4);
        assertThat(events.get(4).id()).isEqualTo("0:5");
    }

    @Test
    void aRestGroupMemberOnTheCoordinatorReadsPartitionsLedElsewhere() {
        cluster.createTopic(1, "shared", 3, 1, Map.of());
        for (int p = 0; p < 3; p++) {
            produce(1, "shared", p, 0, 4);
        }
        String group = "readers";
        MemberResponse member = joinAtCoordinator(group, "shared");
        int coordinator = leader("__consumer_offsets", CoordinatorPlacement.partitionFor(group, OFFSETS_PARTITIONS));
        assertThat(IntStream.range(0, 3).filter(p -> leader("shared", p) != coordinator).count())
                .as("partitions led by other brokers than the coordinator").isPositive();

        GroupClient groups = new GroupClient(cluster.client(coordinator));
        Map<Integer, List<Integer>> values = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            groups.fetch(group, member, 1_000).records().forEach(r ->
                    values.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.value().asInt()));
            return values.values().stream().mapToInt(List::size).sum() >= 12;
        });
        for (int p = 0; p < 3; p++) {
            assertThat(values.get(p)).as("partition %d", p).containsExactly(0, 1, 2, 3);
        }
    }

    /** Joins through whichever broker coordinates the group (the first join creates the offsets topic). */
    private MemberResponse joinAtCoordinator(String group, String topic) {
        var first = cluster.client(1).post().uri("/api/v1/groups/" + group + "/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topics", List.of(topic), "autoOffsetReset", "earliest")).exchange()
                .expectBody(String.class).returnResult();
        if (first.getStatus().value() == 201) {
            return MAPPER.readValue(first.getResponseBody(), MemberResponse.class);
        }
        TopicPartition offsets = new TopicPartition("__consumer_offsets", CoordinatorPlacement.partitionFor(group, OFFSETS_PARTITIONS));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.metadata(1).partitionState(offsets)
                .filter(PartitionState::hasLeader).isPresent());
        int coordinator = cluster.state(offsets).leader();
        AtomicReference<MemberResponse> joined = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                joined.set(new GroupClient(cluster.client(coordinator)).join(group, topic)));
        return joined.get();
    }

    private int leader(String topic, int partition) {
        return cluster.state(new TopicPartition(topic, partition)).leader();
    }

    /** Produces values {@code from .. from+count-1} to one partition through broker {@code via}, acks=all. */
    private void produce(int via, String topic, int partition, int from, int count) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":").append(from + i).append(",\"partition\":").append(partition).append('}');
        }
        body.append("]}");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                cluster.client(via).post().uri("/api/v1/topics/" + topic + "/records?acks=all")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(body.toString())
                        .exchange().expectStatus().isOk());
    }
}
