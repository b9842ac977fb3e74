package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three brokers: records reach every replica byte for byte, and any broker serves produce, fetch
 * and offsets for a partition it does not lead, by forwarding to the leader.
 */
class ReplicationIT {

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3);

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
        assertThat(cluster.bean(other, io.tributary.service.PartitionRouter.class).route(tp))
                .as("the routing seam names the leader and its HTTP address")
                .isEqualTo(new io.tributary.service.PartitionRouter.Route(tp, leader, false, "127.0.0.1",
                        cluster.restPort(leader), cluster.metadata(leader).liveBrokers().get(leader).replicationPort()));
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

    @Test
    void anIdleFetchWaitsAtTheLeaderUntilAnAppendWakesIt() {
        cluster.createTopic(3, "idle", 1, 3, Map.of());
        TopicPartition tp = new TopicPartition("idle", 0);
        int leader = cluster.state(tp).leader();
        ReplicationRequestHandler handler = new ReplicationRequestHandler(cluster.bean(leader, ReplicaManager.class));

        CompletableFuture<FetchResponse> waiting = handler.fetch(new FetchRequest(ReplicationMessages.CONSUMER_REPLICA_ID,
                60_000, 1 << 20, List.of(new FetchPartition(tp, 0, -1))));
        assertThat(waiting).isNotDone();

        cluster.client(leader).post().uri("/api/v1/topics/idle/records?acks=all").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":\"wake\"}]}").exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(values(waiting.join().partitions().get(0).records())).containsExactly("\"wake\"");
    }

    @Test
    void aSuspendedSessionStopsEveryLeaderUntilTheStateIsReadAgain() throws Exception {
        cluster.createTopic(2, "suspended", 1, 3, Map.of());
        TopicPartition tp = new TopicPartition("suspended", 0);
        int leader = cluster.state(tp).leader();
        Partition partition = cluster.partition(leader, tp);

        cluster.stopZooKeeper();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !partition.isLeader());
            assertThat(cluster.metadata(leader).sessionHealthy()).isFalse();
        } finally {
            cluster.restartZooKeeper();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            int current = cluster.state(tp).leader();
            return cluster.isRunning(current) && cluster.partition(current, tp).isLeader();
        });
        int current = cluster.state(tp).leader();
        cluster.client(current).post().uri("/api/v1/topics/suspended/records?acks=all").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1}]}").exchange().expectStatus().isOk();
    }

    static List<String> values(MemoryRecords records) {
        List<String> out = new ArrayList<>();
        for (Record r : records.records()) {
            out.add(new String(r.valueBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
