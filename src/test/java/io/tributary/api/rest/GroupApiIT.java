package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import io.tributary.api.rest.GroupDtos.GroupRecord;
import io.tributary.api.rest.GroupDtos.MemberRecordsResponse;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.api.rest.GroupDtos.PartitionPosition;
import io.tributary.group.GroupDescription;
import io.tributary.group.GroupState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consumer groups over REST against a real broker: REST members, rebalances, commits, views, resets, audit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
class GroupApiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
        registry.add("tributary.group.offsets-topic-partitions", () -> "5");
        registry.add("tributary.group.timer-tick", () -> "50ms");
    }

    @Autowired
    WebTestClient client;

    private GroupClient groups;

    @BeforeEach
    void setUp() {
        groups = new GroupClient(client);
    }

    private List<Integer> partitionCounts(String group) {
        return groups.describe(group).members().stream().map(m -> m.partitions().size()).sorted().toList();
    }

    @Test
    void threeMembersOnSixPartitionsGetTwoEachThenAFourthAndAFifthRebalance() {
        groups.createTopic("six", 6);
        for (int i = 0; i < 3; i++) {
            groups.join("spread", "six");
        }
        assertThat(partitionCounts("spread")).containsExactly(2, 2, 2);

        groups.join("spread", "six");
        assertThat(partitionCounts("spread")).containsExactly(1, 1, 2, 2);
        groups.join("spread", "six");
        assertThat(partitionCounts("spread")).containsExactly(1, 1, 1, 1, 2);
        GroupDescription description = groups.describe("spread");
        assertThat(description.state()).isEqualTo(GroupState.STABLE);
        assertThat(description.members().stream().flatMap(m -> m.partitions().stream())
                .map(p -> p.partition()).distinct()).hasSize(6);
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeoutAndItsPartitionsMove() {
        groups.createTopic("four", 4);
        MemberResponse silent = groups.join("expiry", "four", Map.<String, Object>of("sessionTimeoutMs", 1000));
        MemberResponse alive = groups.join("expiry", "four");
        assertThat(partitionCounts("expiry")).containsExactly(2, 2);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            MemberRecordsResponse fetched = groups.fetch("expiry", alive, 100);
            assertThat(fetched.partitions()).hasSize(4);
        });
        assertThat(groups.describe("expiry").members()).singleElement()
                .satisfies(m -> assertThat(m.memberId()).isEqualTo(alive.memberId()));
        client.get().uri("/api/v1/groups/expiry/members/" + silent.memberId() + "/records")
                .header(GroupController.TOKEN_HEADER, silent.token())
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_MEMBER_ID");
    }

    @Test
    void aNewMemberResumesAtTheCommittedOffsetAndLagAndAuditFollowTheCommits() {
        groups.createTopic("lagging", 2);
        groups.produce("lagging", 0, 10);
        groups.produce("lagging", 1, 4);
        Instant before = Instant.now();
        MemberResponse first = groups.join("resume", "lagging");
        MemberRecordsResponse fetched = groups.fetch("resume", first, 5_000);
        assertThat(fetched.records()).hasSize(14);
        groups.commit("resume", first, fetched.generation(), "lagging", Map.of(0, 6L, 1, 4L)).expectStatus().isOk();

        GroupDescription description = groups.describe("resume");
        assertThat(description.offsets()).hasSize(2);
        assertThat(description.offsets().get(0)).satisfies(p -> {
            assertThat(p.committedOffset()).isEqualTo(6);
            assertThat(p.logEndOffset()).isEqualTo(10);
            assertThat(p.lag()).isEqualTo(4);
            assertThat(p.memberId()).isEqualTo(first.memberId());
        });
        assertThat(description.offsets().get(1).lag()).isZero();
        groups.leave("resume", first);

        MemberResponse second = groups.join("resume", "lagging", Map.of("autoOffsetReset", "latest"));
        assertThat(second.partitions()).extracting(PartitionPosition::offset).containsExactly(6L, 4L);
        MemberRecordsResponse resumed = groups.fetch("resume", second, 0);
        assertThat(resumed.records()).extracting(GroupRecord::partition).containsOnly(0);
        assertThat(resumed.records()).extracting(GroupRecord::offset).containsExactly(6L, 7L, 8L, 9L);
        groups.commit("resume", second, null, "lagging", Map.of(0, 10L)).expectStatus().isOk();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get()
                .uri("/api/v1/groups/resume/offsets/history").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.totalItems").isEqualTo(3));
        client.get().uri("/api/v1/groups/resume/offsets/history?topic=lagging&partition=0&size=1&page=1")
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.totalItems").isEqualTo(2)
                .jsonPath("$.totalPages").isEqualTo(2)
                .jsonPath("$.items[0].offset").isEqualTo(10)
                .jsonPath("$.items[0].memberId").isEqualTo(second.memberId())
                .jsonPath("$.items[0].clientAddress").isEqualTo("127.0.0.1");
        client.get().uri(b -> b.path("/api/v1/groups/resume/offsets/history").queryParam("from", before.toString())
                        .queryParam("partition", 1).build())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.totalItems").isEqualTo(1)
                .jsonPath("$.items[0].generation").isEqualTo(fetched.generation());
        client.get().uri(b -> b.path("/api/v1/groups/resume/offsets/history").queryParam("to", before.toString()).build())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.totalItems").isEqualTo(0);
    }

    @Test
    void aCommitForAPartitionTheMemberLostInARebalanceIsRefused() {
        groups.createTopic("stale", 2);
        MemberResponse first = groups.join("stale-group", "stale");
        int oldGeneration = groups.fetch("stale-group", first, 0).generation();
        groups.join("stale-group", "stale");
        MemberRecordsResponse now = groups.fetch("stale-group", first, 0);
        assertThat(now.partitions()).hasSize(1);
        int lost = 1 - now.partitions().get(0).partition();

        groups.commit("stale-group", first, oldGeneration, "stale", Map.of(lost, 0L))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("ILLEGAL_GENERATION").jsonPath("$.retriable").isEqualTo(false);
        groups.commit("stale-group", first, now.generation(), "stale", Map.of(lost, 0L))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("ILLEGAL_GENERATION");
        groups.commit("stale-group", first, now.generation(), "stale", Map.of(1 - lost, 0L)).expectStatus().isOk();
    }

    @Test
    void offsetsResetOnlyWhenTheGroupIsEmptyAndAGroupCanBeDeleted() {
        groups.createTopic("resets", 2);
        groups.produce("resets", 0, 5);
        MemberResponse member = groups.join("admin", "resets");
        client.post().uri("/api/v1/groups/admin/offsets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", "resets", "to", "latest"))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("GROUP_NOT_EMPTY");
        groups.leave("admin", member);

        client.post().uri("/api/v1/groups/admin/offsets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", "resets", "to", "latest"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.offsets[0].offset").isEqualTo(5).jsonPath("$.offsets[1].offset").isEqualTo(0);
        client.post().uri("/api/v1/groups/admin/offsets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", "resets", "to", "offsets", "offsets", Map.of("0", 2)))
                .exchange().expectStatus().isOk();
        GroupDescription description = groups.describe("admin");
        assertThat(description.state()).isEqualTo(GroupState.EMPTY);
        assertThat(description.offsets().get(0).committedOffset()).isEqualTo(2);
        assertThat(description.offsets().get(0).lag()).isEqualTo(3);
        client.get().uri("/api/v1/groups").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.group == 'admin')].state").isEqualTo("EMPTY");

        client.delete().uri("/api/v1/groups/admin").exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/groups/admin").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("GROUP_NOT_FOUND");
    }

    @Test
    void usersCannotWriteToOrDeleteTheOffsetsTopic() {
        groups.join("internal-check", "anything");
        client.post().uri("/api/v1/topics/__consumer_offsets/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}")
                .exchange().expectStatus().isForbidden();
        client.delete().uri("/api/v1/topics/__consumer_offsets").exchange().expectStatus().isForbidden();
        client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/groups/{group}/members'].post").exists()
                .jsonPath("$.paths['/api/v1/groups/{group}/members/{member}/records'].get").exists()
                .jsonPath("$.paths['/api/v1/groups/{group}/offsets/history'].get").exists()
                .jsonPath("$.paths['/api/v1/groups/{group}/offsets'].post").exists();
        client.get().uri("/api/v1/topics/__consumer_offsets").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.internal").isEqualTo(true)
                .jsonPath("$.configs['cleanup.policy']").isEqualTo("compact")
                .jsonPath("$.partitions.length()").isEqualTo(5);
    }

    @Test
    void membersJoiningLeavingAndCrashingShareThePartitionsWithoutGapsOrOverlaps() {
        groups.createTopic("churn", 6);
        for (int p = 0; p < 6; p++) {
            groups.produce("churn", p, 30);
        }
        Map<String, Set<String>> deliveredInGeneration = new HashMap<>();
        Map<Integer, Set<Long>> delivered = new TreeMap<>();
        List<MemberResponse> members = new ArrayList<>();
        members.add(groups.join("churners", "churn"));
        MemberResponse crashing = groups.join("churners", "churn", Map.<String, Object>of("autoOffsetReset", "earliest",
                "sessionTimeoutMs", 1000));
        // Rounds go on until the crashed member's session has expired and its partitions were read
        // by the others: how many rounds that takes depends on the machine, not on the broker.
        int[] round = {0};
        await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
            if (round[0] == 3 || round[0] == 6) {
                members.add(groups.join("churners", "churn"));
            }
            if (round[0] == 9) {
                groups.leave("churners", members.remove(0));
            }
            round[0]++;
            for (MemberResponse m : members) {
                MemberRecordsResponse r = groups.fetch("churners", m, 0, 4);
                for (GroupRecord record : r.records()) {
                    delivered.computeIfAbsent(record.partition(), k -> new TreeSet<>()).add(record.offset());
                    String key = r.generation() + "/" + record.partition();
                    deliveredInGeneration.computeIfAbsent(key, k -> new HashSet<>()).add(m.memberId());
                }
                Map<Integer, Long> positions = new HashMap<>();
                r.partitions().forEach(p -> positions.put(p.partition(), p.offset()));
                if (!positions.isEmpty()) {
                    groups.commit("churners", m, r.generation(), "churn", positions);
                }
            }
            return round[0] >= 40 && delivered.size() == 6
                    && delivered.values().stream().allMatch(offsets -> offsets.size() >= 30);
        });
        assertThat(groups.describe("churners").members()).extracting(GroupDescription.MemberDescription::memberId)
                .doesNotContain(crashing.memberId());
        assertThat(deliveredInGeneration.values()).allSatisfy(owners -> assertThat(owners).hasSize(1));
        for (int p = 0; p < 6; p++) {
            assertThat(delivered.get(p)).as("partition %d", p).hasSize(30).first().isEqualTo(0L);
        }
    }
}
