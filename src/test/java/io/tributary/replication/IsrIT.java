package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-sync replica set under followers that stop fetching, {@code min.insync.replicas}, and
 * leader-epoch truncation of a follower whose log diverged (after an unclean election).
 */
class IsrIT {

    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3);

    private void produce(int via, String topic, String acks, String valuesJson, int expectedStatus) {
        cluster.client(via).post().uri("/api/v1/topics/" + topic + "/records?acks=" + acks)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[" + valuesJson + "]}")
                .exchange().expectStatus().isEqualTo(expectedStatus);
    }

    /** Stops a follower's fetching while it stays registered (its connections to other brokers are closed). */
    private void pauseFetching(int broker) {
        cluster.bean(broker, ReplicaManager.class).clients().close();
    }

    private void restart(int broker) {
        cluster.stop(broker);
        cluster.start(broker);
    }

    @Test
    void theIsrShrinksUnderAPausedFollowerAndAcksAllIsRefusedBelowMinInsyncReplicas() {
        cluster.createTopic(1, "lagging", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("lagging", 0);
        PartitionState initial = cluster.state(tp);
        int leader = initial.leader();
        List<Integer> followers = initial.isr().stream().filter(id -> id != leader).toList();
        produce(leader, "lagging", "all", "{\"value\":0}", 200);

        pauseFetching(followers.get(0));
        await().atMost(LONG).until(() -> !cluster.state(tp).isr().contains(followers.get(0)));
        int behind = followers.get(0);
        await().atMost(LONG).untilAsserted(() ->
                assertThat(cluster.bean(behind, ReplicaManager.class).followersNotInSync()).containsExactly(tp));
        cluster.client(behind).get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.replicas.status").isEqualTo("OUT_OF_SERVICE")
                .jsonPath("$.components.replicas.details.partitions[0]").isEqualTo(tp.toString());
        produce(leader, "lagging", "all", "{\"value\":1}", 200);
        pauseFetching(followers.get(1));
        await().atMost(LONG).until(() -> cluster.state(tp).isr().equals(List.of(leader)));
        Partition partition = cluster.partition(leader, tp);
        await().atMost(LONG).until(() -> partition.isr().equals(List.of(leader)));
        assertThat(cluster.bean(leader, ReplicaManager.class).isrShrinks()).isGreaterThanOrEqualTo(2);
        long endBefore = partition.logEndOffset();
        long highWatermarkBefore = partition.highWatermark();
        assertThat(highWatermarkBefore).isEqualTo(2);

        cluster.client(leader).post().uri("/api/v1/topics/lagging/records?acks=all").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":2}]}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_ENOUGH_REPLICAS").jsonPath("$.retriable").isEqualTo(true);
        assertThat(partition.logEndOffset()).isEqualTo(endBefore);

        produce(leader, "lagging", "1", "{\"value\":3}", 200);
        assertThat(partition.logEndOffset()).isEqualTo(endBefore + 1);
        assertThat(partition.highWatermark()).isEqualTo(highWatermarkBefore);
        cluster.client(leader).get().uri("/api/v1/topics/lagging/partitions/0/records?offset=2").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.records.length()").isEqualTo(0);

        restart(followers.get(0));
        restart(followers.get(1));
        await().atMost(LONG).untilAsserted(() -> {
            assertThat(cluster.state(tp).isr()).hasSize(3);
            assertThat(cluster.partition(cluster.state(tp).leader(), tp).highWatermark()).isEqualTo(endBefore + 1);
        });
        for (int follower : followers) {
            await().atMost(LONG).untilAsserted(() ->
                    assertThat(cluster.bean(follower, ReplicaManager.class).followersNotInSync()).isEmpty());
            cluster.client(follower).get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.components.replicas.status").isEqualTo("UP");
        }
        long expands = List.of(1, 2, 3).stream().mapToLong(id -> cluster.bean(id, ReplicaManager.class).isrExpands()).sum();
        assertThat(expands).as("ISR expands written by the leaders").isGreaterThanOrEqualTo(2);
        cluster.client(leader).get().uri("/api/v1/topics/lagging/partitions/0/records?offset=2").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.records[0].value").isEqualTo(3);
    }

    @Test
    void aDivergentFollowerTruncatesToTheEndOfItsLastMatchingLeaderEpoch() {
        cluster.createTopic(1, "diverge", 1, 3, Map.of("unclean.leader.election.enable", "true"));
        TopicPartition tp = new TopicPartition("diverge", 0);
        PartitionState initial = cluster.state(tp);
        int oldLeader = initial.leader();
        List<Integer> followers = initial.isr().stream().filter(id -> id != oldLeader).toList();
        produce(oldLeader, "diverge", "all", "{\"value\":0},{\"value\":1},{\"value\":2},{\"value\":3},{\"value\":4}", 200);
        await().atMost(LONG).until(() -> followers.stream().allMatch(f -> cluster.partition(f, tp).logEndOffset() == 5));

        followers.forEach(cluster::stop);
        await().atMost(LONG).until(() -> cluster.state(tp).isr().equals(List.of(oldLeader)));
        produce(oldLeader, "diverge", "1", "{\"value\":\"lost-5\"},{\"value\":\"lost-6\"},{\"value\":\"lost-7\"}", 200);
        assertThat(cluster.partition(oldLeader, tp).logEndOffset()).isEqualTo(8);
        cluster.stop(oldLeader);
        int newLeader = followers.get(0);
        cluster.start(newLeader);
        await().atMost(LONG).until(() -> cluster.state(tp).leader() == newLeader
                && cluster.partition(newLeader, tp).isLeader());
        assertThat(cluster.state(tp).leaderEpoch()).isGreaterThan(initial.leaderEpoch());
        produce(newLeader, "diverge", "1", "{\"value\":\"new-5\"},{\"value\":\"new-6\"}", 200);

        cluster.start(oldLeader);

        await().atMost(LONG).untilAsserted(() -> {
            MemoryRecords onOld = cluster.partition(oldLeader, tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records();
            MemoryRecords onNew = cluster.partition(newLeader, tp).log().read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records();
            assertThat(ReplicationIT.values(onOld)).containsExactly("0", "1", "2", "3", "4", "\"new-5\"", "\"new-6\"");
            assertThat(onOld).isEqualTo(onNew);
        });
        cluster.start(followers.get(1));
        await().atMost(LONG).until(() -> cluster.state(tp).isr().size() == 3);
    }
}
