package io.tributary.replication;

import io.tributary.TributaryApplication;
import io.tributary.log.ChildJvm;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Brokers as separate JVMs ({@link ChildJvm}) on one curator-test ZooKeeper server, for faults
 * only a process can suffer: {@link #kill} (SIGKILL, nothing runs on the way out), {@link #pause}
 * and {@link #resume} (SIGSTOP and SIGCONT: the broker is frozen with its sockets open, its
 * session expires, then it wakes up believing what it believed), and {@link #stop} (SIGTERM: the
 * controlled shutdown). Each broker keeps its data directory, {@code <root>/broker-<id>/data},
 * across restarts; its console log, every run appended, is in {@code stdout.log} beside it.
 *
 * <p>The ZooKeeper server ticks every 500 ms, so sessions may be as short as 1 s (the default
 * tick of 3 s would make 6 s the least); the brokers' session timeout is a constructor argument.
 * Lag, fetch-wait and controller intervals are short to keep tests quick.
 *
 * <p>Thread safety: {@link #liveRestPort()} may be called from any thread (producers); everything
 * else from the test thread.
 */
final class BrokerProcesses implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final Duration sessionTimeout;
    private final TestingServer zooKeeper;
    private final Map<Integer, Process> brokers = new TreeMap<>();
    private final Map<Integer, Integer> restPorts = new ConcurrentHashMap<>();
    private final Set<Integer> available = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextBroker = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts ZooKeeper and brokers 1..{@code count} and waits until each sees all of them. */
    BrokerProcesses(Path root, int count, Duration sessionTimeout) throws Exception {
        this.root = root;
        this.sessionTimeout = sessionTimeout;
        this.zooKeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
        for (int id = 1; id <= count; id++) {
            launch(id);
        }
        for (int id = 1; id <= count; id++) {
            awaitAnswering(id);
        }
        await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            for (int id = 1; id <= count; id++) {
                JsonNode cluster = get(id, "/api/v1/cluster");
                if (cluster == null || cluster.get("brokers").size() != count) {
                    return false;
                }
            }
            return true;
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts broker {@code id} on its data directory and waits until it answers HTTP. */
    void start(int id) throws IOException {
        launch(id);
        awaitAnswering(id);
    }

    private void launch(int id) throws IOException {
        int port = freePort();
        restPorts.put(id, port);
        Path home = root.resolve("broker-" + id);
        Process process = ChildJvm.startLogging(home, TributaryApplication.class,
                "--server.address=127.0.0.1", "--server.port=" + port, "--tributary.broker-id=" + id,
                "--tributary.advertised-host=127.0.0.1", "--tributary.data-dir=" + dataDir(id),
                "--tributary.zookeeper.connect=" + zooKeeper.getConnectString(),
                "--tributary.zookeeper.session-timeout=" + sessionTimeout.toMillis() + "ms",
                "--tributary.replication.port=" + freePort(),
                "--tributary.replication.replica-lag-time-max=2s", "--tributary.replication.fetch-max-wait=200ms",
                "--tributary.replication.ack-timeout=10s", "--tributary.replication.controller-interval=500ms",
                "--tributary.shutdown.controlled-timeout=10s",
                "--logging.level.io.tributary.cluster=INFO", "--logging.level.io.tributary.replication=INFO");
        brokers.put(id, process);
    }

    private void awaitAnswering(int id) {
        await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get(id, "/api/v1/cluster") != null);
        available.add(id);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill(int id) throws InterruptedException {
        available.remove(id);
        brokers.remove(id).destroyForcibly().waitFor();
    }

    /** SIGTERM (a controlled shutdown), and waits until the process is gone. */
    void stop(int id) throws InterruptedException {
        available.remove(id);
        Process process = brokers.remove(id);
        process.destroy();
        process.waitFor();
    }

    /** SIGTERM to every broker, one after another, each waited for. */
    void stopAll() throws InterruptedException {
        for (Integer id : List.copyOf(brokers.keySet())) {
            stop(id);
        }
    }

    /** SIGSTOP: the broker is frozen, its sockets stay open. */
    void pause(int id) throws IOException, InterruptedException {
        available.remove(id);
        signal(id, "-STOP");
    }

    /** SIGCONT. */
    void resume(int id) throws IOException, InterruptedException {
        signal(id, "-CONT");
        available.add(id);
    }

    private void signal(int id, String signal) throws IOException, InterruptedException {
        if (signal(brokers.get(id), signal) != 0) {
            throw new IllegalStateException("kill " + signal + " of broker " + id + " failed");
        }
    }

    private static int signal(Process process, String signal) throws IOException, InterruptedException {
        return new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    boolean isRunning(int id) {
        return brokers.containsKey(id);
    }

    Path dataDir(int id) {
        return root.resolve("broker-" + id).resolve("data");
    }

    /** A broker neither stopped nor paused, a different one each call where there are several. */
    int liveBroker() {
        List<Integer> ids = new ArrayList<>(available);
        if (ids.isEmpty()) {
            return restPorts.keySet().iterator().next();
        }
        ids.sort(null);
        return ids.get(Math.floorMod(nextBroker.getAndIncrement(), ids.size()));
    }

    /** The REST port of {@link #liveBroker()}. */
    int liveRestPort() {
        return restPorts.get(liveBroker());
    }

    /** GET from broker {@code id}: the JSON body on 200, null otherwise. */
    JsonNode get(int id, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPorts.get(id) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** POST JSON to broker {@code id}: the response. */
    HttpResponse<String> post(int id, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPorts.get(id) + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One partition as its leader describes it (the leader alone knows the high watermark). */
    record PartitionView(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                         long highWatermark) {

        boolean settled() {
            return leader == replicas.get(0) && isr.size() == replicas.size();
        }
    }

    /**
     * {@code topic}'s partitions, each as its leader describes it; throws when a partition has no
     * leader or its leader does not answer (for use under {@code ignoreExceptions()}).
     */
    List<PartitionView> describe(String topic) throws IOException, InterruptedException {
        JsonNode any = get(restPorts.entrySet().stream().filter(e -> available.contains(e.getKey())).findFirst()
                .orElseThrow().getKey(), "/api/v1/topics/" + topic);
        List<PartitionView> views = new ArrayList<>();
        for (JsonNode p : any.get("partitions")) {
            int leader = p.get("leader").asInt();
            if (!available.contains(leader)) {
                throw new IllegalStateException("partition " + p.get("partition").asInt() + " has no live leader: " + leader);
            }
            JsonNode own = get(leader, "/api/v1/topics/" + topic).get("partitions").get(p.get("partition").asInt());
            views.add(new PartitionView(own.get("partition").asInt(), own.get("leader").asInt(), own.get("leaderEpoch").asInt(),
                    ids(own.get("replicas")), ids(own.get("isr")), own.get("highWatermark").asLong()));
        }
        return views;
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.asInt()));
        return ids;
    }

    /**
     * Each broker's own view of {@code topic}'s partitions and the tail of its log: what a test
     * that waited in vain shows.
     */
    String diagnostics(String topic) {
        StringBuilder views = new StringBuilder();
        for (int id : List.copyOf(restPorts.keySet())) {
            views.append("\nbroker ").append(id).append(available.contains(id) ? "" : isRunning(id) ? " (paused)" : " (stopped)")
                    .append(": ");
            try {
                JsonNode topicView = available.contains(id) ? get(id, "/api/v1/topics/" + topic) : null;
                views.append(topicView == null ? "-" : topicView.get("partitions"));
            } catch (IOException | InterruptedException | RuntimeException e) {
                views.append(e);
            }
        }
        return views + logTails(100);
    }

    /** The last {@code lines} lines of each broker's console log (cluster and replication at INFO). */
    String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        for (int id : List.copyOf(restPorts.keySet())) {
            Path log = root.resolve("broker-" + id).resolve("stdout.log");
            tails.append("\n--- broker ").append(id).append(", ").append(log).append('\n');
            try {
                List<String> all = Files.readAllLines(log);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> tails.append(l).append('\n'));
            } catch (IOException e) {
                tails.append(e).append('\n');
            }
        }
        return tails.toString();
    }

    @Override
    public void close() throws Exception {
        for (Process process : brokers.values()) {
            signal(process, "-CONT");
            process.destroyForcibly().waitFor();
        }
        zooKeeper.close();
    }
}
