package io.tributary.replication;

import io.tributary.api.rest.GroupClient;
import io.tributary.api.rest.GroupController;
import io.tributary.api.rest.GroupDtos.MemberRecordsResponse;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.api.rest.GroupForwarding;
import io.tributary.api.ws.WsTestClient;
import io.tributary.common.TopicPartition;
import io.tributary.group.CoordinatorPlacement;
import io.tributary.group.GroupDescription;
import io.tributary.group.GroupDescription.PartitionLag;
import io.tributary.group.LogOffsetStore;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Consumer groups through a broker that does not coordinate them, on two brokers: REST requests
 * are forwarded to the coordinator and its answers relayed unchanged; a WebSocket member's socket
 * is relayed to the coordinator; a forwarded request is never forwarded again; and a relayed
 * socket whose coordinator stops ends with a retriable error frame, after which the member
 * reconnects through the surviving broker and continues from its committed offset. The resume
 * grace period is longer than any wait here, so a member that leaves at once left by a close.
 * Groups are chosen by name ({@link #groupCoordinatedBy}) to be coordinated by broker 1; the
 * partitions they read are led by both brokers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupRoutingIT {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String TOPIC = "routed";
    private static final String FAILOVER = "failover";
    private static final int RECORDS_PER_PARTITION = 5;

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(2, "--tributary.group.offsets-topic-partitions=4",
            "--tributary.group.timer-tick=100ms", "--tributary.group.resume-grace-period=120s");

    @BeforeAll
    static void start() throws Exception {
        cluster.createTopic(1, TOPIC, 2, 1, Map.of());
        assertThat(Set.of(cluster.state(new TopicPartition(TOPIC, 0)).leader(),
                cluster.state(new TopicPartition(TOPIC, 1)).leader())).containsExactlyInAnyOrder(1, 2);
        cluster.createTopic(1, FAILOVER, 1, 2, Map.of());
        cluster.client(1).get().uri("/api/v1/groups/warm-up").exchange(); // creates the offsets topic
        await().atMost(LONG).ignoreExceptions().until(() -> IntStream.range(0, offsetsPartitions())
                .allMatch(p -> cluster.state(offsetsPartition(p)).isr().size() == 2)
                && cluster.state(new TopicPartition(FAILOVER, 0)).isr().size() == 2);
        GroupClient producer = new GroupClient(cluster.client(2));
        for (int p = 0; p < 2; p++) {
            producer.produce(TOPIC, p, RECORDS_PER_PARTITION);
        }
    }


    private static int offsetsPartitions() {
        return cluster.metadata(1).topic(LogOffsetStore.TOPIC).orElseThrow().partitions();
    }

    private static TopicPartition offsetsPartition(int partition) {
        return new TopicPartition(LogOffsetStore.TOPIC, partition);
    }

    /** A group name, {@code prefix} and a number, whose coordinator is {@code broker} now. */
    private static String groupCoordinatedBy(int broker, String prefix) {
        int partitions = offsetsPartitions();
        for (int i = 0; i < 1_000; i++) {
            String group = prefix + i;
            if (cluster.state(offsetsPartition(CoordinatorPlacement.partitionFor(group, partitions))).leader() == broker) {
                return group;
            }
        }
        return fail("No group of broker " + broker);
    }

    private static String memberQuery(String group, String topic) {
        return "/ws/v1/consume?group=" + group + "&topics=" + topic + "&autoOffsetReset=earliest";
    }

    private static Map<Integer, Long> committed(GroupDescription group) {
        return group.offsets().stream().filter(o -> o.committedOffset() != null)
                .collect(Collectors.toMap(PartitionLag::partition, PartitionLag::committedOffset));
    }

    @Test
    @Order(1)
    void aRestMemberWorksThroughABrokerThatIsNotTheCoordinator() {
        String group = groupCoordinatedBy(1, "rest-");
        GroupClient viaOther = new GroupClient(cluster.client(2));
        GroupClient viaCoordinator = new GroupClient(cluster.client(1));

        EntityExchangeResult<MemberResponse> joined = cluster.client(2).post().uri("/api/v1/groups/" + group + "/members")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topics", List.of(TOPIC), "autoOffsetReset", "earliest"))
                .exchange().expectStatus().isCreated().expectBody(MemberResponse.class).returnResult();
        MemberResponse member = joined.getResponseBody();
        assertThat(joined.getResponseHeaders().getLocation())
                .hasToString("/api/v1/groups/" + group + "/members/" + member.memberId());
        assertThat(member.partitions()).hasSize(2);

        Set<String> read = new HashSet<>();
        await().atMost(LONG).until(() -> {
            MemberRecordsResponse records = viaOther.fetch(group, member, 1_000);
            records.records().forEach(r -> read.add(r.partition() + "/" + r.offset()));
            return read.size() == 2 * RECORDS_PER_PARTITION;
        });
        viaOther.commit(group, member, member.generation(), TOPIC, Map.of(0, 5L, 1, 5L)).expectStatus().isOk();
        assertThat(committed(viaCoordinator.describe(group))).isEqualTo(Map.of(0, 5L, 1, 5L));
        assertThat(committed(viaOther.describe(group))).isEqualTo(Map.of(0, 5L, 1, 5L));
        cluster.client(2).get().uri("/api/v1/groups").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.group == '" + group + "')].members").isEqualTo(List.of(1));
        await().atMost(LONG).untilAsserted(() -> cluster.client(2).get()
                .uri("/api/v1/groups/" + group + "/offsets/history").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.totalItems").isEqualTo(2));

        viaOther.leave(group, member);
        cluster.client(2).post().uri("/api/v1/groups/" + group + "/offsets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", TOPIC, "to", "offsets", "offsets", Map.of("0", 2, "1", 3)))
                .exchange().expectStatus().isOk();
        assertThat(committed(viaCoordinator.describe(group))).isEqualTo(Map.of(0, 2L, 1, 3L));
        cluster.client(2).delete().uri("/api/v1/groups/" + group).exchange().expectStatus().isNoContent();
        cluster.client(2).get().uri("/api/v1/groups/" + group).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("GROUP_NOT_FOUND");
        cluster.client(2).get().uri("/api/v1/groups/" + group + "/members/" + member.memberId() + "/records")
                .header(GroupController.TOKEN_HEADER, member.token()).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_MEMBER_ID");
    }

    @Test
    @Order(2)
    void aForwardedRequestIsNotForwardedAgain() {
        String group = groupCoordinatedBy(1, "loop-");
        cluster.client(2).get().uri("/api/v1/groups/" + group).header(GroupForwarding.FORWARDED_BY, "1")
                .exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_COORDINATOR").jsonPath("$.retriable").isEqualTo(true);

        HttpHeaders marked = new HttpHeaders();
        marked.set(GroupForwarding.FORWARDED_BY, "1");
        List<String> frames = new CopyOnWriteArrayList<>();
        AtomicReference<CloseStatus> close = new AtomicReference<>();
        new ReactorNettyWebSocketClient().execute(
                URI.create("ws://127.0.0.1:" + cluster.restPort(2) + memberQuery(group, TOPIC)), marked,
                ws -> ws.receive().doOnNext(m -> frames.add(m.getPayloadAsText()))
                        .then(ws.closeStatus()).doOnNext(close::set).then())
                .block(LONG);
        assertThat(frames.get(0)).contains("\"code\":\"NOT_COORDINATOR\"");
        assertThat(close.get().getCode()).isEqualTo(1013);
    }

    @Test
    @Order(3)
    void webSocketMembersOnTwoBrokersShareThePartitions() {
        String group = groupCoordinatedBy(1, "ws-");
        String token;
        try (WsTestClient relayed = WsTestClient.connect(cluster.restPort(2), memberQuery(group, TOPIC))) {
            token = relayed.next("joined").path("token").asString();
            assertThat(partitions(relayed.next("assigned"))).hasSize(2);
            assertThat(relayed.records(2 * RECORDS_PER_PARTITION)).hasSize(2 * RECORDS_PER_PARTITION);
            relayed.send("{\"type\":\"commit\",\"id\":7,\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":0,"
                    + "\"offset\":" + RECORDS_PER_PARTITION + "}]}");
            assertThat(relayed.next("committed").path("id").asInt()).isEqualTo(7);
            assertThat(committed(new GroupClient(cluster.client(1)).describe(group)))
                    .isEqualTo(Map.of(0, (long) RECORDS_PER_PARTITION));

            try (WsTestClient direct = WsTestClient.connect(cluster.restPort(1), memberQuery(group, TOPIC))) {
                direct.next("joined");
                JsonNode relayedShare = assignedOne(relayed);
                JsonNode directShare = assignedOne(direct);
                assertThat(relayedShare.path("generation").asInt()).isEqualTo(directShare.path("generation").asInt());
                Set<TopicPartition> all = new HashSet<>(partitions(relayedShare));
                all.addAll(partitions(directShare));
                assertThat(all).hasSize(2);
            }
            relayed.drop();
        }
        // The dropped connection reached the coordinator as a drop: the member keeps its place for
        // the grace period and resumes; its close then reaches the coordinator as a leave.
        try (WsTestClient resumed = WsTestClient.connect(cluster.restPort(2), memberQuery(group, TOPIC) + "&resume=" + token)) {
            assertThat(resumed.next("joined").path("resumed").asBoolean()).isTrue();
        }
        await().atMost(LONG).untilAsserted(() -> assertThat(new GroupClient(cluster.client(1)).describe(group).members())
                .isEmpty());
    }

    @Test
    @Order(4)
    void aRelayedMemberThatDoesNotReadHoldsTheCoordinatorBack() {
        String group = groupCoordinatedBy(1, "slow-");
        TopicPartition tp = new TopicPartition("slow", 0);
        cluster.createTopic(1, tp.topic(), 1, 1, Map.of());
        String value = "x".repeat(1000);
        String batch = IntStream.range(0, 1000).mapToObj(i -> "{\"value\":\"" + value + "\"}")
                .collect(Collectors.joining(",", "{\"records\":[", "]}")); // about 1 MB
        try (WsTestClient relayed = WsTestClient.connectNotReading(cluster.restPort(2),
                memberQuery(group, tp.topic()) + "&valueFormat=string")) {
            ConsumeService coordinator = cluster.bean(1, ConsumeService.class);
            await().atMost(LONG).until(() -> session(coordinator, tp) != null);
            for (int i = 0; i < 40; i++) {
                cluster.client(1).post().uri("/api/v1/topics/" + tp.topic() + "/records")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(batch).exchange().expectStatus().isOk();
            }
            long produced = cluster.partition(cluster.state(tp).leader(), tp).highWatermark();
            // The sockets' buffers on both hops fill and the coordinator's session stops reading the
            // log: far less than the 40 MB produced left it, so nothing piles up in the relay.
            ConsumeSession session = session(coordinator, tp);
            AtomicLong previous = new AtomicLong(-1);
            await().atMost(LONG).until(() -> {
                long position = session.positions().get(tp);
                return previous.getAndSet(position) == position && session.stats().chunksInFlight() == 1;
            });
            assertThat(session.positions().get(tp)).isLessThan(produced);

            relayed.request(Long.MAX_VALUE);
            relayed.next("joined");
            relayed.next("assigned");
            List<Long> offsets = relayed.records((int) produced).stream().map(r -> r.path("offset").asLong()).toList();
            assertThat(offsets).isSorted().doesNotHaveDuplicates().hasSize((int) produced);
        }
    }

    private static ConsumeSession session(ConsumeService service, TopicPartition tp) {
        return service.sessions().stream().filter(s -> s.positions().containsKey(tp)).findFirst().orElse(null);
    }

    @Test
    @Order(5)
    void aRelayedMemberWhoseCoordinatorStopsReconnectsAndContinuesFromItsCommit() {
        int coordinator = 1;
        int survivor = 2;
        String group = groupCoordinatedBy(coordinator, "failover-");
        new GroupClient(cluster.client(survivor)).produce(FAILOVER, 0, 6);
        TopicPartition groupPartition = offsetsPartition(CoordinatorPlacement.partitionFor(group, offsetsPartitions()));
        try (WsTestClient relayed = WsTestClient.connect(cluster.restPort(survivor), memberQuery(group, FAILOVER))) {
            relayed.next("joined");
            relayed.next("assigned");
            relayed.records(6);
            relayed.send("{\"type\":\"commit\",\"offsets\":[{\"topic\":\"" + FAILOVER + "\",\"partition\":0,\"offset\":4}]}");
            relayed.next("committed");

            cluster.stop(coordinator);
            JsonNode error = relayed.next("error");
            assertThat(error.path("code").asString()).as(error.toString()).isEqualTo("NOT_COORDINATOR");
            assertThat(error.path("retriable").asBoolean()).isTrue();
            assertThat(relayed.awaitClose().getCode()).isEqualTo(1012);
        }
        await().atMost(LONG).until(() -> cluster.state(new TopicPartition(FAILOVER, 0)).leader() == survivor
                && cluster.state(groupPartition).leader() == survivor);
        try (WsTestClient again = WsTestClient.connect(cluster.restPort(survivor), memberQuery(group, FAILOVER))) {
            again.next("joined");
            JsonNode assigned = again.next("assigned");
            assertThat(assigned.at("/partitions/0/offset").asLong()).as(assigned.toString()).isEqualTo(4);
            assertThat(again.records(2)).extracting(r -> r.path("offset").asLong()).containsExactly(4L, 5L);
        }
    }

    /** Reads frames until an assigned frame with exactly one partition, and returns it. */
    private static JsonNode assignedOne(WsTestClient member) {
        while (true) {
            JsonNode frame = member.next();
            if (frame.path("type").asString().equals("assigned") && frame.path("partitions").size() == 1) {
                return frame;
            }
        }
    }

    private static Set<TopicPartition> partitions(JsonNode frame) {
        Set<TopicPartition> partitions = new HashSet<>();
        frame.path("partitions").forEach(p -> partitions.add(new TopicPartition(p.path("topic").asString(),
                p.path("partition").asInt())));
        return partitions;
    }
}
