package io.tributary.api.ws;

import io.tributary.BrokerTestProperties;
import io.tributary.api.rest.GroupClient;
import io.tributary.api.ws.GroupLedger.Member;
import io.tributary.common.TopicPartition;
import io.tributary.group.GroupDescription;
import io.tributary.metadata.AuditedCommit;
import io.tributary.metadata.CatalogPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumer-group members over real WebSockets against a real broker: exclusivity checked at every
 * frame by a {@link GroupLedger} across joins, leaves and a dropped connection; idle members taking
 * over; resuming with the token; commit frames, their audit rows, stale commits; auto-commit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
class WebSocketGroupIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AUTO = "autoOffsetReset=earliest&autoCommit=true&autoCommitIntervalMs=100";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
        registry.add("tributary.group.offsets-topic-partitions", () -> "3");
        registry.add("tributary.group.timer-tick", () -> "50ms");
        registry.add("tributary.group.resume-grace-period", () -> "3s");
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    private GroupClient groups;

    @BeforeEach
    void setUp() {
        groups = new GroupClient(client);
    }

    /** Waits until the members' assignments, in one generation, have these sizes and cover {@code total} partitions. */
    private static void awaitBalanced(List<Member> members, int total, Integer... sizes) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(members.stream().map(m -> m.partitions.size()).sorted().toList()).containsExactly(sizes);
            assertThat(members.stream().map(m -> m.generation).distinct()).hasSize(1);
            Set<TopicPartition> all = new HashSet<>();
            members.forEach(m -> all.addAll(m.partitions));
            assertThat(all).hasSize(total);
        });
    }

    private void produceEach(String topic, int partitions, int count) {
        for (int p = 0; p < partitions; p++) {
            groups.produce(topic, p, count);
        }
    }

    /** Every offset below {@code end} of each partition, gathered over all members, in order per member. */
    private static void awaitAllDelivered(List<Member> everyone, String topic, int partitions, long end) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                Set<Long> seen = new HashSet<>();
                everyone.forEach(m -> seen.addAll(m.offsets(tp)));
                assertThat(seen).as("offsets of %s", tp).containsAll(LongStream.range(0, end).boxed().toList());
            }
        });
    }

    private static List<Long> deliveredBy(List<Member> everyone, TopicPartition tp) {
        List<Long> all = new ArrayList<>();
        everyone.forEach(m -> all.addAll(m.offsets(tp)));
        return all.stream().sorted().toList();
    }

    @Test
    void everyPartitionIsDeliveredByOneMemberAtATimeAcrossJoinsLeavesAndADroppedConnection() {
        groups.createTopic("six", 6);
        try (GroupLedger ledger = new GroupLedger()) {
            List<Member> everyone = new ArrayList<>();
            List<Member> live = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                live.add(ledger.join(port, "m" + i, "spread", "six", AUTO));
            }
            everyone.addAll(live);
            awaitBalanced(live, 6, 2, 2, 2);
            produceEach("six", 6, 10);
            awaitAllDelivered(everyone, "six", 6, 10);

            Member fourth = ledger.join(port, "m3", "spread", "six", AUTO);
            live.add(fourth);
            everyone.add(fourth);
            awaitBalanced(live, 6, 1, 1, 2, 2);
            produceEach("six", 6, 10);
            awaitAllDelivered(everyone, "six", 6, 20);

            Member fifth = ledger.join(port, "m4", "spread", "six", AUTO);
            live.add(fifth);
            everyone.add(fifth);
            awaitBalanced(live, 6, 1, 1, 1, 1, 2);
            produceEach("six", 6, 10);
            awaitAllDelivered(everyone, "six", 6, 30);

            Member leaving = live.remove(0);
            leaving.close();
            awaitBalanced(live, 6, 1, 1, 2, 2);
            produceEach("six", 6, 10);
            awaitAllDelivered(everyone, "six", 6, 40);
            // Auto-commit on every revocation and on leave: nothing was delivered twice so far.
            for (int p = 0; p < 6; p++) {
                assertThat(deliveredBy(everyone, new TopicPartition("six", p)))
                        .containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
            }

            Member crashed = live.remove(0);
            String crashedId = crashed.memberId;
            crashed.drop();
            awaitBalanced(live, 6, 2, 2, 2);
            assertThat(groups.describe("spread").members()).extracting(GroupDescription.MemberDescription::memberId)
                    .hasSize(3).doesNotContain(crashedId);
            produceEach("six", 6, 10);
            awaitAllDelivered(everyone, "six", 6, 50);

            assertThat(ledger.violations()).as("%s", ledger.log).isEmpty();
            for (Member m : everyone) {
                m.offsets.forEach((tp, offsets) -> assertThat(offsets).as("%s of %s", tp, m.name).isSorted());
            }
            for (Member m : live) {
                m.close();
            }
        }
    }

    @Test
    void aSeventhMemberOnSixPartitionsIsIdleAndTakesOverWhenAnotherLeaves() {
        groups.createTopic("seven", 6);
        try (GroupLedger ledger = new GroupLedger()) {
            List<Member> live = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                live.add(ledger.join(port, "m" + i, "crowd", "seven", "autoOffsetReset=earliest"));
            }
            awaitBalanced(live, 6, 0, 1, 1, 1, 1, 1, 1);
            Member idle = live.stream().filter(m -> m.partitions.isEmpty()).findFirst().orElseThrow();
            JsonNode told = idle.assignedFrames.get(idle.assignedFrames.size() - 1);
            assertThat(told.path("idle").asBoolean()).isTrue();
            assertThat(told.path("partitions")).isEmpty();

            Member leaving = live.stream().filter(m -> !m.partitions.isEmpty()).findFirst().orElseThrow();
            live.remove(leaving);
            leaving.close();
            awaitBalanced(live, 6, 1, 1, 1, 1, 1, 1);
            assertThat(idle.partitions).hasSize(1);
            TopicPartition taken = idle.partitions.iterator().next();
            produceEach("seven", 6, 3);
            await().atMost(WAIT).untilAsserted(() -> assertThat(idle.offsets(taken)).containsExactly(0L, 1L, 2L));
            assertThat(ledger.violations()).as("%s", ledger.log).isEmpty();
            live.forEach(Member::close);
        }
    }

    @Test
    void aMemberThatResumesWithItsTokenGetsItsPartitionsBackWithoutARebalance() {
        groups.createTopic("comeback", 4);
        produceEach("comeback", 4, 5);
        try (GroupLedger ledger = new GroupLedger()) {
            Member stays = ledger.join(port, "stays", "resumers", "comeback", "autoOffsetReset=earliest");
            Member drops = ledger.join(port, "drops", "resumers", "comeback", "autoOffsetReset=earliest");
            awaitBalanced(List.of(stays, drops), 4, 2, 2);
            await().atMost(WAIT).untilAsserted(() -> {
                for (Member m : List.of(stays, drops)) {
                    m.partitions.forEach(tp -> assertThat(m.offsets(tp)).endsWith(0L, 1L, 2L, 3L, 4L));
                }
            });
            int generation = drops.generation;
            Set<TopicPartition> owned = drops.partitions;
            List<TopicPartition> mine = owned.stream().sorted((a, b) -> a.partition() - b.partition()).toList();
            drops.send("{\"type\":\"commit\",\"offsets\":[{\"topic\":\"comeback\",\"partition\":"
                    + mine.get(0).partition() + ",\"offset\":3},{\"topic\":\"comeback\",\"partition\":"
                    + mine.get(1).partition() + ",\"offset\":5}]}");
            await().atMost(WAIT).until(() -> !drops.replies.isEmpty());
            assertThat(drops.replies.get(0).path("type").asString()).isEqualTo("committed");
            int assignedToStays = stays.assignedFrames.size();
            int revokedFromStays = stays.revokedFrames.size();
            drops.drop();

            Member back = ledger.join(port, "back", "resumers", "comeback", "autoOffsetReset=latest&resume=" + drops.token);
            await().atMost(WAIT).until(() -> !back.assignedFrames.isEmpty());
            assertThat(back.memberId).isEqualTo(drops.memberId);
            assertThat(back.generation).isEqualTo(generation);
            assertThat(back.partitions).isEqualTo(owned);
            Map<Integer, Long> offsets = new TreeMap<>();
            back.assignedFrames.get(0).path("partitions").forEach(p ->
                    offsets.put(p.path("partition").asInt(), p.path("offset").asLong()));
            assertThat(offsets).containsExactlyEntriesOf(new TreeMap<>(Map.of(mine.get(0).partition(), 3L,
                    mine.get(1).partition(), 5L)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(back.offsets(mine.get(0))).containsExactly(3L, 4L));
            assertThat(back.offsets(mine.get(1))).isEmpty();
            assertThat(stays.assignedFrames).hasSize(assignedToStays);
            assertThat(stays.revokedFrames).hasSize(revokedFromStays);
            assertThat(groups.describe("resumers").members()).hasSize(2);
            assertThat(ledger.violations()).as("%s", ledger.log).isEmpty();
            back.close();
            stays.close();
        }
    }

    @Test
    void pipelinedCommitsAreAnsweredInOrderAuditedOnceEachAndStaleOnesAreRefused() {
        groups.createTopic("ledger", 3);
        produceEach("ledger", 3, 5);
        try (GroupLedger ledger = new GroupLedger()) {
            Member member = ledger.join(port, "solo", "auditors", "ledger", "autoOffsetReset=earliest");
            await().atMost(WAIT).until(() -> member.received() == 15);
            int commits = 300;
            for (int i = 0; i < commits; i++) {
                member.send("{\"type\":\"commit\",\"id\":" + i + ",\"offsets\":[{\"topic\":\"ledger\",\"partition\":"
                        + i % 3 + ",\"offset\":" + (1 + i % 5) + "}]}");
            }
            await().atMost(WAIT).until(() -> member.replies.size() == commits);
            for (int i = 0; i < commits; i++) {
                JsonNode reply = member.replies.get(i);
                assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("committed");
                assertThat(reply.path("id").asInt()).isEqualTo(i);
                assertThat(reply.path("generation").asInt()).isEqualTo(member.generation);
                assertThat(reply.path("offsets").get(0).path("offset").asLong()).isEqualTo(1 + i % 5);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(history("auditors").totalItems()).isEqualTo(commits));
            List<AuditedCommit> rows = history("auditors").items();
            assertThat(rows).hasSize(commits).allSatisfy(row -> {
                assertThat(row.memberId()).isEqualTo(member.memberId);
                assertThat(row.generation()).isEqualTo(member.generation);
            });
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                expected.add(i % 3 + ":" + (1 + i % 5));
                actual.add(rows.get(i).partition() + ":" + rows.get(i).offset());
            }
            assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(groups.describe("auditors").offsets()).extracting(o -> o.committedOffset())
                    .containsExactly(3L, 4L, 5L);

            member.send("{\"type\":\"commit\",\"id\":\"old\",\"generation\":" + (member.generation - 1)
                    + ",\"offsets\":[{\"topic\":\"ledger\",\"partition\":0,\"offset\":2}]}");
            member.send("{\"type\":\"commit\",\"id\":\"foreign\",\"offsets\":[{\"topic\":\"six-elsewhere\",\"partition\":0,"
                    + "\"offset\":2}]}");
            member.send("{\"type\":\"commit\",\"id\":\"after\",\"offsets\":[{\"topic\":\"ledger\",\"partition\":0,\"offset\":4}]}");
            await().atMost(WAIT).until(() -> member.replies.size() == commits + 3);
            JsonNode stale = member.replies.get(commits);
            assertThat(stale.path("type").asString()).isEqualTo("error");
            assertThat(stale.path("id").asString()).isEqualTo("old");
            assertThat(stale.path("code").asString()).isEqualTo("ILLEGAL_GENERATION");
            assertThat(stale.path("fatal").asBoolean()).isFalse();
            JsonNode foreign = member.replies.get(commits + 1);
            assertThat(foreign.path("code").asString()).isEqualTo("ILLEGAL_GENERATION");
            JsonNode after = member.replies.get(commits + 2);
            assertThat(after.path("type").asString()).isEqualTo("committed");
            assertThat(after.path("id").asString()).isEqualTo("after");
            await().atMost(WAIT).untilAsserted(() -> assertThat(history("auditors").totalItems()).isEqualTo(commits + 1));
            assertThat(member.client.closed).isNotDone();
            member.close();
        }
    }

    @Test
    void autoCommitCommitsTheDeliveredPositionsWhenTheMemberCloses() {
        groups.createTopic("closing", 2);
        groups.produce("closing", 0, 7);
        groups.produce("closing", 1, 4);
        try (GroupLedger ledger = new GroupLedger()) {
            Member member = ledger.join(port, "closer", "autocommitters", "closing",
                    "autoOffsetReset=earliest&autoCommit=true&autoCommitIntervalMs=3600000");
            await().atMost(WAIT).until(() -> member.received() == 11);
            assertThat(groups.describe("autocommitters").offsets()).extracting(o -> o.committedOffset())
                    .containsOnlyNulls();
            member.close();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            GroupDescription description = groups.describe("autocommitters");
            assertThat(description.members()).isEmpty();
            assertThat(description.offsets()).extracting(o -> o.committedOffset()).containsExactly(7L, 4L);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(history("autocommitters").totalItems()).isEqualTo(2));
    }

    @Test
    void addingPartitionsToTheTopicRebalancesTheGroup() {
        groups.createTopic("growing", 2);
        try (GroupLedger ledger = new GroupLedger()) {
            List<Member> live = List.of(ledger.join(port, "a", "growers", "growing", "autoOffsetReset=earliest"),
                    ledger.join(port, "b", "growers", "growing", "autoOffsetReset=earliest"));
            awaitBalanced(live, 2, 1, 1);
            int before = live.get(0).generation;
            client.patch().uri("/api/v1/topics/growing").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue("{\"partitions\":4}").exchange().expectStatus().isOk();
            awaitBalanced(live, 4, 2, 2);
            assertThat(live.get(0).generation).isGreaterThan(before);
            produceEach("growing", 4, 2);
            await().atMost(WAIT).untilAsserted(() -> {
                for (Member m : live) {
                    m.partitions.forEach(tp -> assertThat(m.offsets(tp)).containsExactly(0L, 1L));
                }
            });
            assertThat(ledger.violations()).as("%s", ledger.log).isEmpty();
            live.forEach(Member::close);
        }
    }

    @Test
    void badGroupQueriesAreRefusedWithAnErrorFrameAndAClose() {
        try (WsTestClient socket = WsTestClient.connect(port, "/ws/v1/consume?group=g&topics=missing-topic")) {
            assertThat(socket.next("error").path("code").asString()).isEqualTo("TOPIC_NOT_FOUND");
            assertThat(socket.awaitClose().getCode()).isEqualTo(1008);
        }
        groups.createTopic("queries", 1);
        try (WsTestClient socket = WsTestClient.connect(port, "/ws/v1/consume?group=g&topics=queries&from=earliest")) {
            assertThat(socket.next("error").path("code").asString()).isEqualTo("INVALID_REQUEST");
            socket.awaitClose();
        }
        try (WsTestClient socket = WsTestClient.connect(port, "/ws/v1/consume?group=g&topics=queries&assignor=fair")) {
            assertThat(socket.next("error").path("code").asString()).isEqualTo("INVALID_REQUEST");
            socket.awaitClose();
        }
        try (WsTestClient socket = WsTestClient.connect(port, "/ws/v1/consume?topics=queries")) {
            socket.send("{\"type\":\"commit\",\"offsets\":[{\"topic\":\"queries\",\"partition\":0,\"offset\":0}]}");
            assertThat(socket.next("error").path("code").asString()).isEqualTo("INVALID_REQUEST");
            socket.awaitClose();
        }
    }

    private CatalogPage<AuditedCommit> history(String group) {
        return client.get().uri("/api/v1/groups/" + group + "/offsets/history?size=1000")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<CatalogPage<AuditedCommit>>() { })
                .returnResult().getResponseBody();
    }
}
