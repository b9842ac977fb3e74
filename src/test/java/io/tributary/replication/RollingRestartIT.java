package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart as the chart's StatefulSet does it: the three brokers are stopped cleanly and
 * started again on the same data directory one at a time, each back in every ISR before the next
 * goes, while a producer sends with {@code acks=all} (retrying retriable failures) and a REST
 * consumer-group member reads and commits. Nothing acknowledged is lost, offsets stay dense, a
 * value is stored twice only if it was sent twice, the group's commits only move forward, and the
 * member carries on after every restart.
 */
class RollingRestartIT {

    private static final Duration LONG = Duration.ofSeconds(90);
    private static final String TOPIC = "rolling";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3, "--tributary.group.offsets-topic-partitions=3",
            "--tributary.group.session-timeout=3s",
            "--tributary.group.rebalance-timeout=5s", "--tributary.group.timer-tick=100ms");
    static final Map<Integer, Integer> ports = new ConcurrentHashMap<>();
    static volatile int bootstrap = 1;

    @BeforeAll
    static void start() throws Exception {
        for (int id = 1; id <= 3; id++) {
            ports.put(id, cluster.restPort(id));
        }
    }


    @Test
    void restartingEveryBrokerInTurnLosesNoAcknowledgedRecordAndTheGroupCarriesOn() throws Exception {
        cluster.createTopic(1, TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
        RetryingProducer producer = new RetryingProducer(() -> ports.get(bootstrap), TOPIC);
        GroupMemberLoop member = new GroupMemberLoop(() -> List.copyOf(ports.values()), "rollers", TOPIC);
        await().atMost(LONG).until(() -> producer.acknowledged() >= 200 && member.lastCommitted() > 0);
        List<TopicPartition> partitions = new ArrayList<>(List.of(TP));
        for (int p = 0; p < 3; p++) {
            partitions.add(new TopicPartition("__consumer_offsets", p));
        }
        await().atMost(LONG).until(() -> partitions.stream().allMatch(tp -> cluster.state(tp).isr().size() == 3));

        for (int id = 1; id <= 3; id++) {
            bootstrap = id == 1 ? 2 : 1;
            int acksBefore = producer.acknowledged();
            cluster.stop(id);
            await().atMost(LONG).until(() -> producer.acknowledged() >= acksBefore + 100);
            cluster.start(id);
            ports.put(id, cluster.restPort(id));
            int restarted = id;
            await().atMost(LONG).until(() -> partitions.stream().allMatch(tp -> cluster.state(tp).isr().contains(restarted)));
            long committed = member.lastCommitted();
            int acksAfter = producer.acknowledged();
            await().atMost(LONG).untilAsserted(() -> {
                assertThat(member.lastCommitted()).as("the member commits again after broker %d restarted (last failure: %s, joins %d)",
                        restarted, member.lastFailure(), member.joins()).isGreaterThan(committed);
                assertThat(producer.acknowledged()).as("acknowledged after broker %d restarted", restarted)
                        .isGreaterThan(acksAfter + 100);
            });
        }
        producer.close();

        await().atMost(LONG).until(() -> member.lastCommitted() == leaderOf(TP).highWatermark());
        member.close();
        Partition leader = leaderOf(TP);

        producer.assertNothingAcknowledgedIsLost(leader);
        List<Long> commits = member.commits();
        assertThat(commits).as("committed offsets only move forward").isSorted();
        assertThat(member.joins()).as("joins").isPositive();
    }

    private static Partition leaderOf(TopicPartition tp) {
        PartitionState state = cluster.state(tp);
        return cluster.partition(state.leader(), tp);
    }
}
