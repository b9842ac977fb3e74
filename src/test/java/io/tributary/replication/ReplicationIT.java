package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three brokers: records reach every replica byte for byte, and any broker serves produce, fetch
 * and offsets for a partition it does not lead, by forwarding to the leader.
 */
class ReplicationIT {

    @TempDir
    static Path root;
    static ClusterHarness cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ClusterHarness(root, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void recordsReachEveryReplicaAndNonLeadersForwardProduceFetchAndOffsets() {
        cluster.createTopic(1, "replicated", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("replicated", 0);
        PartitionState state = cluster.state(tp);
        int leader = state.leader();
        int other = Set.of(1, 2, 3).stream().filter(id -> id != leader).findFirst().orElseThrow();

        cluster.client(other).post().uri("/api/v1/topics/replicated/records?acks=all").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":\"a\"},{\"value\":\"b\"},{\"value\":\"c\"}]}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.offsets[0].offset").isEqualTo(0).jsonPath("$.offsets[2].offset").isEqualTo(2);

        assertThat(cluster.partition(leader, tp).highWatermark()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                assertThat(cluster.partition(id, tp).logEndOffset()).as("broker %d", id).isEqualTo(3);
                assertThat(values(cluster.partition(id, tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()))
                        .containsExactly("\"a\"", "\"b\"", "\"c\"");
            }
        });
        assertThat(cluster.partition(other, tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records())
                .isEqualTo(cluster.partition(leader, tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records());

        cluster.client(other).get().uri("/api/v1/topics/replicated/partitions/0/records?offset=1").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.records[0].value").isEqualTo("b").jsonPath("$.highWatermark").isEqualTo(3);
        cluster.client(other).get().uri("/api/v1/topics/replicated/partitions/0/offsets").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.earliest").isEqualTo(0).jsonPath("$.latest").isEqualTo(3);
        cluster.client(other).get().uri("/api/v1/topics/replicated").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.partitions[0].leader").isEqualTo(leader)
                .jsonPath("$.partitions[0].highWatermark").isEqualTo(3).jsonPath("$.partitions[0].logStartOffset").isEqualTo(0);
        cluster.client(other).get().uri("/api/v1/topics/replicated/partitions/0/records?offset=9").exchange()
                .expectStatus().isEqualTo(416).expectBody().jsonPath("$.code").isEqualTo("OFFSET_OUT_OF_RANGE");
    }

    @Test
    void partitionsAndLeadersAreSpreadOverTheBrokers() {
        cluster.createTopic(2, "spread", 6, 2, Map.of());
        List<Integer> leaders = new ArrayList<>();
        Map<Integer, Integer> replicasPerBroker = new java.util.HashMap<>();
        for (int p = 0; p < 6; p++) {
            PartitionState s = cluster.state(new TopicPartition("spread", p));
            leaders.add(s.leader());
            cluster.metadata(1).topic("spread").orElseThrow().replicas(p).forEach(r -> replicasPerBroker.merge(r, 1, Integer::sum));
        }
        assertThat(leaders.stream().filter(l -> l == 1).count()).isEqualTo(2);
        assertThat(leaders.stream().filter(l -> l == 2).count()).isEqualTo(2);
        assertThat(replicasPerBroker).containsOnly(Map.entry(1, 4), Map.entry(2, 4), Map.entry(3, 4));
    }

    static List<String> values(MemoryRecords records) {
        List<String> out = new ArrayList<>();
        for (Record r : records.records()) {
            out.add(new String(r.valueBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
