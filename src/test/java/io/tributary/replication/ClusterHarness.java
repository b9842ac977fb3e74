package io.tributary.replication;

import io.tributary.TributaryApplication;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.common.TopicPartition;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Several brokers in one JVM, each an isolated Spring context with its own data directory and
 * free ports, sharing one real ZooKeeper server (curator-test {@link TestingServer}). Brokers can
 * be stopped (a clean shutdown: the broker's session ends and its registration goes at once) and
 * started again on the same data directory. Short lag and controller intervals keep tests quick.
 *
 * <p>A test class shares one cluster by registering {@link #perClass}: it starts before the
 * class's {@code @BeforeAll} methods, in a temporary directory of its own, and is closed and
 * deleted after the class.
 */
final class ClusterHarness implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final int brokerCount;
    private final List<String> extraArgs;
    private final Map<Integer, ConfigurableApplicationContext> brokers = new TreeMap<>();
    private Path root;
    private TestingServer zooKeeper;

    private ClusterHarness(int brokerCount, String... extraArgs) {
        this.brokerCount = brokerCount;
        this.extraArgs = List.of(extraArgs);
    }

    /** A cluster for {@code @RegisterExtension static}: started before the test class, closed after it. */
    static ClusterHarness perClass(int brokerCount, String... extraArgs) {
        return new ClusterHarness(brokerCount, extraArgs);
    }

    private void startAll(Path dir) throws Exception {
        this.root = dir;
        this.zooKeeper = new TestingServer(true);
        for (int id = 1; id <= brokerCount; id++) {
            start(id);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> brokers.values().stream()
                .allMatch(c -> metadata(c).liveBrokers().size() == brokerCount));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startAll(Files.createTempDirectory("tributary-cluster-"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    void start(int id) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--tributary.broker-id=" + id,
                "--tributary.advertised-host=127.0.0.1",
                "--tributary.data-dir=" + root.resolve("broker-" + id),
                "--tributary.zookeeper.connect=" + zooKeeper.getConnectString(),
                "--tributary.zookeeper.session-timeout=6s",
                "--tributary.replication.port=0",
                "--tributary.replication.replica-lag-time-max=2s",
                "--tributary.replication.fetch-max-wait=200ms",
                "--tributary.replication.ack-timeout=10s",
                "--tributary.replication.controller-interval=500ms",
                "--spring.jmx.enabled=false",
                "--logging.level.root=WARN",
                "--logging.level.io.tributary.cluster.Controller=INFO"));
        for (String extra : extraArgs) {   // an extra argument replaces a default of the same name
            String name = extra.contains("=") ? extra.substring(0, extra.indexOf('=') + 1) : extra;
            args.removeIf(arg -> arg.startsWith(name));
            args.add(extra);
        }
        brokers.put(id, new SpringApplicationBuilder(TributaryApplication.class, OwnNettyResources.class)
                .run(args.toArray(String[]::new)));
    }

    /**
     * Gives each broker its own Netty event loops: by default every Spring context in a JVM shares
     * reactor-netty's global resources, and the first context to close disposes them for all.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnNettyResources {
        @org.springframework.context.annotation.Bean
        org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
            org.springframework.http.client.ReactorResourceFactory factory = new org.springframework.http.client.ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    /** Stops broker {@code id} (its registration goes with its session). */
    void stop(int id) {
        ConfigurableApplicationContext context = brokers.remove(id);
        if (context != null) {
            context.close();
        }
    }

    boolean isRunning(int id) {
        return brokers.containsKey(id);
    }

    ConfigurableApplicationContext context(int id) {
        ConfigurableApplicationContext c = brokers.get(id);
        if (c == null) {
            throw new IllegalStateException("Broker " + id + " is not running");
        }
        return c;
    }

    <T> T bean(int id, Class<T> type) {
        return context(id).getBean(type);
    }

    static ZkClusterMetadata metadata(ConfigurableApplicationContext c) {
        return c.getBean(ZkClusterMetadata.class);
    }

    ZkClusterMetadata metadata(int id) {
        return metadata(context(id));
    }

    /** Any running broker's view of {@code tp}'s state. */
    PartitionState state(TopicPartition tp) {
        return metadata(brokers.keySet().iterator().next()).partitionState(tp).orElseThrow();
    }

    /** The controller's id as the running brokers see it. */
    int controllerId() {
        return brokers.keySet().stream().filter(id -> metadata(id).isController()).findFirst().orElse(-1);
    }

    Partition partition(int id, TopicPartition tp) {
        return bean(id, ReplicaManager.class).partition(tp).orElseThrow();
    }

    WebTestClient client(int id) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context(id).getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    int restPort(int id) {
        return Integer.parseInt(context(id).getEnvironment().getProperty("local.server.port"));
    }

    /** Creates a topic through broker {@code via} and waits until every running replica has a leader or follower role. */
    void createTopic(int via, String name, int partitions, int replicationFactor, Map<String, String> configs) {
        client(via).post().uri("/api/v1/topics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "partitions", partitions, "replicationFactor", replicationFactor,
                        "configs", configs))
                .exchange().expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(name, p);
                PartitionState s = metadata(via).partitionState(tp).orElse(null);
                if (s == null || !isRunning(s.leader()) || !partition(s.leader(), tp).isLeader()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Stops the ZooKeeper server: every broker's connection is suspended. */
    void stopZooKeeper() throws java.io.IOException {
        zooKeeper.stop();
    }

    /** Starts the ZooKeeper server again on the same port and data. */
    void restartZooKeeper() throws Exception {
        zooKeeper.restart();
    }

    @Override
    public void close() throws Exception {
        for (Integer id : List.copyOf(brokers.keySet())) {
            stop(id);
        }
        zooKeeper.close();
    }
}
