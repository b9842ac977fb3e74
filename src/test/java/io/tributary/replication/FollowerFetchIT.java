package io.tributary.replication;

import io.tributary.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;

import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * A follower's fetcher and partitions it is given while its fetch long-polls an idle leader: with
 * a fetch wait far longer than the acks=all timeout, a new partition is only written with
 * {@code acks=all} if the fetcher takes it up without waiting out the poll in flight (as after a
 * failover, when the new leader's followers already poll it for other partitions).
 */
class FollowerFetchIT {

    // the poll must stay shorter than the lag limit, or idle followers would leave the ISR
    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3, "--tributary.replication.fetch-max-wait=60s",
            "--tributary.replication.replica-lag-time-max=120s");

    @Test
    void aPartitionAddedDuringAnIdlePollIsFetchedWithoutWaitingForThePoll() {
        cluster.createTopic(1, "idle", 1, 3, Map.of());
        TopicPartition idle = new TopicPartition("idle", 0);
        await().until(() -> cluster.state(idle).isr().size() == 3);
        int leader = cluster.state(idle).leader();

        // every partition has all three brokers as replicas; the one led by the same broker goes to
        // the two fetchers already polling that broker for "idle" (the ack timeout is 10 s, the poll
        // 60 s), and its write needs all three replicas
        cluster.createTopic(1, "added", 3, 3, Map.of("min.insync.replicas", "3"));
        await().until(() -> IntStream.range(0, 3).anyMatch(p -> cluster.state(new TopicPartition("added", p)).leader() == leader));
        int partition = IntStream.range(0, 3).filter(p -> cluster.state(new TopicPartition("added", p)).leader() == leader)
                .findFirst().orElseThrow();

        cluster.client(leader).post().uri("/api/v1/topics/added/records?acks=all").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"partition\":" + partition + ",\"value\":\"first\"}]}")
                .exchange().expectStatus().isOk();
    }
}
