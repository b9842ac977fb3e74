package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Losing brokers: the leader during acks=all produce, a follower that comes back, the controller,
 * and a leader's ZooKeeper session. Each test leaves all three brokers running.
 */
class FailoverIT {

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path root;
    static ClusterHarness cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = new ClusterHarness(root, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private record Ack(String value, long offset) {
    }

    /** Produces one record per request with acks=all through {@code via} until stopped; records what was acknowledged. */
    private CompletableFuture<Void> produceUntil(int via, String topic, AtomicBoolean stop, List<Ack> acks) {
        int port = cluster.restPort(via);
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                String value = "v-" + i;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/topics/"
                                + topic + "/records?acks=all"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":\"" + value + "\",\"partition\":0}]}"))
                        .build();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    Matcher m = OFFSET.matcher(response.body());
                    if (response.statusCode() == 200 && m.find()) {
                        acks.add(new Ack("\"" + value + "\"", Long.parseLong(m.group(1))));
                    }
                } catch (Exception e) {
                    // not acknowledged: the record may or may not have been written; it is never sent again
                }
            }
        });
    }

    private static int followerOf(PartitionState s) {
        return s.isr().stream().filter(id -> id != s.leader()).findFirst().orElseThrow();
    }

    @Test
    void killingTheLeaderDuringAcksAllProduceLosesNoAcknowledgedRecord() throws Exception {
        cluster.createTopic(1, "failover", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("failover", 0);
        PartitionState before = cluster.state(tp);
        int bootstrap = followerOf(before);
        List<Ack> acks = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> producer = produceUntil(bootstrap, "failover", stop, acks);

        await().atMost(LONG).until(() -> acks.size() >= 20);
        cluster.stop(before.leader());
        int acksAtKill = acks.size();
        await().atMost(LONG).until(() -> acks.size() >= acksAtKill + 30);
        stop.set(true);
        producer.get();

        PartitionState after = cluster.state(tp);
        assertThat(after.leader()).isNotEqualTo(before.leader());
        assertThat(after.leaderEpoch()).isGreaterThan(before.leaderEpoch());
        Partition newLeader = cluster.partition(after.leader(), tp);
        List<Record> records = new ArrayList<>();
        newLeader.read(0, Integer.MAX_VALUE).records().records().forEach(records::add);
        List<Long> offsets = records.stream().map(Record::offset).toList();
        List<String> values = records.stream().map(r -> new String(r.valueBytes(), StandardCharsets.UTF_8)).toList();
        assertThat(offsets).as("dense offsets").isEqualTo(java.util.stream.LongStream.range(0, records.size()).boxed().toList());
        assertThat(new HashSet<>(values)).as("no record at two offsets").hasSize(values.size());
        for (Ack ack : acks) {
            assertThat(values.get((int) ack.offset())).as("acknowledged at %d", ack.offset()).isEqualTo(ack.value());
        }
        cluster.start(before.leader());
    }

    @Test
    void aFollowerThatReturnsCatchesUpRejoinsTheIsrAndThePreferredLeaderIsRestored() {
        cluster.createTopic(1, "comeback", 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("comeback", 0);
        int preferred = cluster.metadata(1).topic("comeback").orElseThrow().replicas(0).get(0);
        PartitionState initial = cluster.state(tp);
        assertThat(initial.leader()).isEqualTo(preferred);

        cluster.stop(preferred);
        int other = followerOf(cluster.state(tp));
        await().atMost(LONG).until(() -> cluster.state(tp).leader() != preferred && cluster.state(tp).hasLeader());
        assertThat(cluster.state(tp).isr()).doesNotContain(preferred);
        for (int i = 0; i < 5; i++) {
            cluster.client(other).post().uri("/api/v1/topics/comeback/records?acks=all")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue("{\"records\":[{\"value\":" + i + "},{\"value\":" + i + "}]}").exchange().expectStatus().isOk();
        }

        cluster.start(preferred);

        await().atMost(LONG).untilAsserted(() -> {
            PartitionState s = cluster.state(tp);
            assertThat(s.isr()).contains(preferred);
            assertThat(s.leader()).isEqualTo(preferred);
            assertThat(s.leaderEpoch()).isEqualTo(initial.leaderEpoch() + 2);
            assertThat(cluster.partition(preferred, tp).isLeader()).isTrue();
            assertThat(cluster.partition(preferred, tp).highWatermark()).isEqualTo(10);
        });
        cluster.client(other).post().uri("/api/v1/topics/comeback/records?acks=all")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":10}]}").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.offsets[0].offset").isEqualTo(10);
    }

    @Test
    void whenTheControllerGoesANewOneTakesOverFromZooKeeperState() {
        cluster.createTopic(1, "steered", 3, 3, Map.of());
        int controller = cluster.controllerId();
        assertThat(controller).isPositive();

        cluster.stop(controller);

        await().atMost(LONG).untilAsserted(() -> {
            int next = cluster.controllerId();
            assertThat(next).isPositive().isNotEqualTo(controller);
            for (int p = 0; p < 3; p++) {
                PartitionState s = cluster.state(new TopicPartition("steered", p));
                assertThat(s.leader()).isNotEqualTo(controller).isNotEqualTo(PartitionState.NO_LEADER);
                assertThat(s.isr()).doesNotContain(controller);
            }
        });
        int survivor = cluster.controllerId();
        cluster.client(survivor).post().uri("/api/v1/topics/steered/records?acks=all")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"records\":[{\"value\":1,\"partition\":0},{\"value\":2,\"partition\":1},{\"value\":3,\"partition\":2}]}")
                .exchange().expectStatus().isOk();
        cluster.start(controller);
        await().atMost(LONG).until(() -> cluster.state(new TopicPartition("steered", 0)).isr().size() == 3);
    }

    @Test
    void aLeaderWhoseZooKeeperSessionExpiresStopsAcknowledging() throws Exception {
        cluster.createTopic(1, "expiry", 1, 3, Map.of());
        TopicPartition tp = new TopicPartition("expiry", 0);
        PartitionState before = cluster.state(tp);
        int leader = before.leader();
        Partition partition = cluster.partition(leader, tp);

        cluster.bean(leader, CuratorFramework.class).getZookeeperClient().getZooKeeper().getTestable()
                .injectSessionExpiration();

        await().atMost(Duration.ofSeconds(10)).until(() -> !partition.isLeader());
        assertThatThrownBy(() -> partition.appendAsLeader(RecordBatchBuilder.withRecords(0,
                SimpleRecord.of(1, null, "late".getBytes(StandardCharsets.UTF_8))), Acks.LEADER))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_LEADER));
        await().atMost(LONG).untilAsserted(() -> {
            PartitionState s = cluster.metadata(followerOf(before)).partitionState(tp).orElseThrow();
            assertThat(s.leaderEpoch()).isGreaterThan(before.leaderEpoch());
            assertThat(s.isr()).contains(leader);
        });
        Set<Integer> running = Set.of(1, 2, 3);
        assertThat(running).allMatch(cluster::isRunning);
    }
}
