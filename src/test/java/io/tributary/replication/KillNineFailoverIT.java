package io.tributary.replication;

import io.tributary.TributaryApplication;
import io.tributary.log.ChildJvm;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three brokers as separate JVMs on a shared ZooKeeper; the leader is killed with SIGKILL (no
 * shutdown of any kind) in the middle of an acks=all produce with RF=3 and min ISR 2. Every
 * acknowledged record must be readable afterwards at the offset it was acknowledged at, offsets
 * dense, no record at two offsets. The killed broker then starts again on its data directory,
 * catches up, rejoins the ISR and leads again as the preferred replica.
 */
class KillNineFailoverIT {

    private static final Duration LONG = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;
    private TestingServer zooKeeper;
    private final Map<Integer, Process> brokers = new TreeMap<>();
    private final Map<Integer, Integer> restPorts = new TreeMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAll() throws IOException {
        brokers.values().forEach(Process::destroyForcibly);
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void startBroker(int id) throws IOException {
        int port = freePort();
        restPorts.put(id, port);
        brokers.put(id, ChildJvm.startLogging(root.resolve("broker-" + id), TributaryApplication.class,
                "--server.address=127.0.0.1", "--server.port=" + port, "--tributary.broker-id=" + id,
                "--tributary.advertised-host=127.0.0.1", "--tributary.data-dir=" + root.resolve("broker-" + id).resolve("data"),
                "--tributary.zookeeper.connect=" + zooKeeper.getConnectString(),
                "--tributary.zookeeper.session-timeout=6s", "--tributary.replication.port=" + freePort(),
                "--tributary.replication.replica-lag-time-max=3s", "--tributary.replication.controller-interval=500ms"));
    }

    private JsonNode get(int broker, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPorts.get(broker) + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private void createTopic(int via) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPorts.get(via)
                        + "/api/v1/topics")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"killed\",\"partitions\":1,\"replicationFactor\":3,"
                        + "\"configs\":{\"min.insync.replicas\":\"2\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private int leader(int via) throws Exception {
        JsonNode topic = get(via, "/api/v1/topics/killed");
        return topic == null ? -1 : topic.get("partitions").get(0).get("leader").asInt();
    }

    @Test
    void killingTheLeaderWithSigkillDuringAcksAllProduceLosesNoAcknowledgedRecord() throws Exception {
        zooKeeper = new TestingServer(true);
        for (int id = 1; id <= 3; id++) {
            startBroker(id);
        }
        await().atMost(LONG).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            for (int id = 1; id <= 3; id++) {
                JsonNode cluster = get(id, "/api/v1/cluster");
                if (cluster == null || cluster.get("brokers").size() != 3) {
                    return false;
                }
            }
            return true;
        });
        createTopic(1);
        int leader = leader(1);
        int bootstrap = leader == 1 ? 2 : 1;

        try (AcksAllProducer producer = new AcksAllProducer(() -> restPorts.get(bootstrap), "killed")) {
            await().atMost(LONG).until(() -> producer.acknowledged() >= 20);
            brokers.remove(leader).destroyForcibly().waitFor();
            int acksAtKill = producer.acknowledged();
            await().atMost(LONG).until(() -> producer.acknowledged() >= acksAtKill + 30);
            producer.close();

            int newLeader = leader(bootstrap);
            assertThat(newLeader).isNotEqualTo(leader).isPositive();
            JsonNode read = get(bootstrap, "/api/v1/topics/killed/partitions/0/records?offset=0&maxRecords=100000&maxBytes=104857600");
            List<Long> offsets = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (JsonNode record : read.get("records")) {
                offsets.add(record.get("offset").asLong());
                values.add("\"" + record.get("value").asString() + "\"");
            }
            assertThat(offsets).as("dense offsets").isEqualTo(LongStream.range(0, offsets.size()).boxed().toList());
            assertThat(new HashSet<>(values)).as("no record at two offsets").hasSize(values.size());
            for (AcksAllProducer.Ack ack : producer.acks()) {
                assertThat(values.get((int) ack.offset())).as("acknowledged at %d", ack.offset()).isEqualTo(ack.value());
            }
            assertThat(producer.acks()).hasSizeGreaterThanOrEqualTo(50);
        }

        startBroker(leader);
        await().atMost(LONG).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonNode partition = get(bootstrap, "/api/v1/topics/killed").get("partitions").get(0);
            assertThat(partition.get("isr").size()).as("the killed broker is back in sync").isEqualTo(3);
            assertThat(partition.get("leader").asInt()).as("and leads again as the preferred replica").isEqualTo(leader);
        });
    }
}
