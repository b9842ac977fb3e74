package io.tributary.cluster;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterMetadata} in ZooKeeper through Curator (layout in {@link ZNodes}).
 *
 * <p>A {@link CuratorCache} over {@code /tributary} keeps local copies of brokers, topics and
 * partition states; its events update them and notify {@link ClusterListener}s. This broker's own
 * writes are also applied to the copies at once (read-your-writes), and an event older than the
 * copy (by znode version) is ignored, so the copies never go backwards.
 *
 * <p>The broker registers itself with an ephemeral znode ({@link BrokerRegistration}, recreated
 * after a session loss) and runs for controller with a {@link LeaderLatch}. When the connection is
 * SUSPENDED or LOST, {@link #sessionHealthy()} turns false at once and listeners are told to stop
 * acting as leader; on RECONNECTED it turns true again once the cache has been re-read.
 *
 * <p>Thread safety: thread-safe. Listeners run on Curator's event thread.
 */
public final class ZkClusterMetadata implements ClusterMetadata, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZkClusterMetadata.class);

    private record Versioned<T>(T value, int version) {
    }

    private final CuratorFramework client;
    private volatile BrokerInfo self;
    private final Map<Integer, BrokerInfo> brokers = new ConcurrentHashMap<>();
    private final Map<String, Versioned<TopicDefinition>> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
    private final Set<Integer> shuttingDown = ConcurrentHashMap.newKeySet();
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private CuratorCache cache;
    private BrokerRegistration registration;
    private LeaderLatch controllerLatch;
    private String clusterId;
    private volatile boolean sessionHealthy;

    public ZkClusterMetadata(CuratorFramework client, BrokerInfo self) {
        this.client = client;
        this.self = self;
    }

    /** Connects, loads the cache, registers this broker and joins the controller election. */
    public void start(long timeoutMs) throws Exception {
        if (!client.blockUntilConnected((int) timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Could not connect to ZooKeeper within " + timeoutMs + " ms");
        }
        for (String path : List.of(ZNodes.BROKERS, ZNodes.TOPICS, ZNodes.PARTITIONS, ZNodes.CONTROLLER)) {
            try {
                client.create().creatingParentsIfNeeded().forPath(path);
            } catch (KeeperException.NodeExistsException ignored) {
                // created by an earlier broker
            }
        }
        clusterId = loadOrCreateClusterId();
        CountDownLatch initialized = new CountDownLatch(1);
        cache = CuratorCache.build(client, ZNodes.ROOT);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> apply(after))
                .forDeletes(this::remove)
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        if (!initialized.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("ZooKeeper state did not load within " + timeoutMs + " ms");
        }
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        registration = BrokerRegistration.register(client, self, timeoutMs);
        brokers.put(self.id(), self);
        controllerLatch = new LeaderLatch(client, ZNodes.CONTROLLER, Integer.toString(self.id()));
        controllerLatch.addListener(new org.apache.curator.framework.recipes.leader.LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("Broker {} is the controller", self.id());
                ZkClusterMetadata.this.notify(ClusterListener::onControllerChanged);
            }

            @Override
            public void notLeader() {
                LOG.info("Broker {} is no longer the controller", self.id());
                ZkClusterMetadata.this.notify(ClusterListener::onControllerChanged);
            }
        });
        controllerLatch.start();
        sessionHealthy = true;
        LOG.info("Broker {} joined cluster {} ({} brokers live, {} topics)", self.id(), clusterId,
                brokers.size(), topics.size());
    }

    /**
     * Re-registers this broker with the HTTP port it actually listens on (known only once the web
     * server has started when the configured port is 0).
     */
    public void advertisePort(int port) {
        if (port == self.port() || registration == null) {
            return;
        }
        BrokerInfo updated = new BrokerInfo(self.id(), self.host(), port, self.replicationPort());
        try {
            registration.update(updated);
            self = updated;
            brokers.put(updated.id(), updated);
        } catch (Exception e) {
            throw unavailable("advertising port " + port, e);
        }
    }

    private String loadOrCreateClusterId() throws Exception {
        try {
            client.create().forPath(ZNodes.CLUSTER_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException ignored) {
            // another broker created it first
        }
        return new String(client.getData().forPath(ZNodes.CLUSTER_ID), StandardCharsets.UTF_8);
    }

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                if (sessionHealthy) {
                    sessionHealthy = false;
                    LOG.warn("ZooKeeper connection {}: broker {} stops acting as leader", state, self.id());
                    notify(ClusterListener::onSessionSuspended);
                }
            }
            case RECONNECTED, CONNECTED -> {
                if (!sessionHealthy) {
                    resync();
                    sessionHealthy = true;
                    LOG.info("ZooKeeper connection {}: broker {} re-read cluster state", state, self.id());
                    notify(ClusterListener::onSessionRestored);
                }
            }
            default -> {
            }
        }
    }

    /** Re-reads every partition state after a reconnect so no decision rests on a stale copy. */
    private void resync() {
        try {
            for (String topic : client.getChildren().forPath(ZNodes.PARTITIONS)) {
                for (String p : client.getChildren().forPath(ZNodes.topicPartitions(topic))) {
                    Stat stat = new Stat();
                    byte[] data = client.getData().storingStatIn(stat).forPath(ZNodes.topicPartitions(topic) + "/" + p);
                    states.put(new TopicPartition(topic, Integer.parseInt(p)), ZkJson.partition(data, stat.getVersion()));
                }
            }
        } catch (Exception e) {
            LOG.warn("Re-reading partition states after reconnecting failed: {}", e.toString());
        }
    }

    private void apply(ChildData data) {
        String path = data.getPath();
        byte[] bytes = data.getData();
        int version = data.getStat() == null ? 0 : data.getStat().getVersion();
        try {
            if (path.startsWith(ZNodes.BROKERS + "/")) {
                BrokerInfo broker = ZkJson.broker(bytes);
                brokers.put(broker.id(), broker);
                notify(ClusterListener::onBrokersChanged);
            } else if (path.startsWith(ZNodes.SHUTDOWN + "/")) {
                shuttingDown.add(Integer.parseInt(path.substring(ZNodes.SHUTDOWN.length() + 1)));
                notify(ClusterListener::onBrokersChanged);
            } else if (path.startsWith(ZNodes.TOPICS + "/")) {
                String name = path.substring(ZNodes.TOPICS.length() + 1);
                Versioned<TopicDefinition> current = topics.get(name);
                if (current == null || current.version() <= version) {
                    topics.put(name, new Versioned<>(ZkJson.topic(name, bytes), version));
                    notify(l -> l.onTopicChanged(name));
                }
            } else if (path.startsWith(ZNodes.PARTITIONS + "/")) {
                Optional<TopicPartition> tp = partitionOf(path);
                if (tp.isPresent() && bytes != null && bytes.length > 0) {
                    PartitionState state = ZkJson.partition(bytes, version);
                    PartitionState current = states.get(tp.get());
                    if (current == null || current.version() <= version) {
                        states.put(tp.get(), state);
                        notify(l -> l.onPartitionStateChanged(tp.get(), state));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Ignoring malformed znode {}: {}", path, e.getMessage());
        }
    }

    private void remove(ChildData data) {
        String path = data.getPath();
        if (path.startsWith(ZNodes.BROKERS + "/")) {
            String id = path.substring(ZNodes.BROKERS.length() + 1);
            brokers.remove(Integer.parseInt(id));
            notify(ClusterListener::onBrokersChanged);
        } else if (path.startsWith(ZNodes.SHUTDOWN + "/")) {
            shuttingDown.remove(Integer.parseInt(path.substring(ZNodes.SHUTDOWN.length() + 1)));
            notify(ClusterListener::onBrokersChanged);
        } else if (path.startsWith(ZNodes.TOPICS + "/")) {
            String name = path.substring(ZNodes.TOPICS.length() + 1);
            if (topics.remove(name) != null) {
                states.keySet().removeIf(tp -> tp.topic().equals(name));
                notify(l -> l.onTopicDeleted(name));
            }
        } else if (path.startsWith(ZNodes.PARTITIONS + "/")) {
            partitionOf(path).ifPresent(states::remove);
        }
    }

    private static Optional<TopicPartition> partitionOf(String path) {
        String rest = path.substring(ZNodes.PARTITIONS.length() + 1);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TopicPartition(rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void notify(Consumer<ClusterListener> event) {
        for (ClusterListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.error("Cluster listener {} failed", l, e);
            }
        }
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public int localBrokerId() {
        return self.id();
    }

    /** The controller from the cached latch nodes: the participant with the lowest sequence number. */
    @Override
    public Optional<Integer> controllerId() {
        return cache.stream()
                .filter(d -> d.getPath().startsWith(ZNodes.CONTROLLER + "/") && d.getData() != null)
                .min(java.util.Comparator.comparing(d -> sequenceOf(d.getPath())))
                .map(d -> Integer.parseInt(new String(d.getData(), StandardCharsets.UTF_8)));
    }

    private static String sequenceOf(String latchPath) {
        int dash = latchPath.lastIndexOf('-');
        return dash < 0 ? latchPath : latchPath.substring(dash + 1);
    }

    @Override
    public boolean isController() {
        return controllerLatch != null && controllerLatch.hasLeadership();
    }

    @Override
    public Map<Integer, BrokerInfo> liveBrokers() {
        return Map.copyOf(brokers);
    }

    /** Only brokers still registered: a marker outliving its broker's registration does not count. */
    @Override
    public Set<Integer> shuttingDownBrokers() {
        Set<Integer> ids = new java.util.HashSet<>(shuttingDown);
        ids.retainAll(brokers.keySet());
        return Set.copyOf(ids);
    }

    /** An ephemeral znode, so it goes with this broker's session. */
    @Override
    public void announceShutdown() {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(ZNodes.shuttingDown(self.id()));
        } catch (KeeperException.NodeExistsException ignored) {
            // announced already
        } catch (Exception e) {
            throw unavailable("announcing the shutdown of broker " + self.id(), e);
        }
        shuttingDown.add(self.id());
        notify(ClusterListener::onBrokersChanged);
    }

    @Override
    public Map<String, TopicDefinition> topics() {
        Map<String, TopicDefinition> copy = new java.util.TreeMap<>();
        topics.forEach((name, v) -> copy.put(name, v.value()));
        return copy;
    }

    @Override
    public Optional<TopicDefinition> topic(String name) {
        return Optional.ofNullable(topics.get(name)).map(Versioned::value);
    }

    @Override
    public Optional<PartitionState> partitionState(TopicPartition tp) {
        return Optional.ofNullable(states.get(tp));
    }

    @Override
    public void createTopic(TopicDefinition definition, Map<Integer, PartitionState> initialStates) {
        String name = definition.name();
        List<CuratorOp> ops = new ArrayList<>();
        try {
            ops.add(client.transactionOp().create().forPath(ZNodes.topic(name), ZkJson.topic(definition)));
            ops.add(client.transactionOp().create().forPath(ZNodes.topicPartitions(name)));
            initialStates.forEach((p, state) -> ops.add(createOp(new TopicPartition(name, p), state)));
            client.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            throw new TributaryException(ErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists");
        } catch (Exception e) {
            throw unavailable("creating topic " + name, e);
        }
        topics.put(name, new Versioned<>(definition, 0));
        initialStates.forEach((p, s) -> states.put(new TopicPartition(name, p), withVersion(s, 0)));
        notify(l -> l.onTopicChanged(name));
        initialStates.forEach((p, s) -> notify(l -> l.onPartitionStateChanged(new TopicPartition(name, p), withVersion(s, 0))));
    }

    private CuratorOp createOp(TopicPartition tp, PartitionState state) {
        try {
            return client.transactionOp().create().forPath(ZNodes.partition(tp), ZkJson.partition(state));
        } catch (Exception e) {
            throw unavailable("preparing partition " + tp, e);
        }
    }

    @Override
    public void updateTopic(TopicDefinition definition, Map<Integer, PartitionState> newPartitionStates) {
        String name = definition.name();
        Versioned<TopicDefinition> current = topics.get(name);
        if (current == null) {
            throw topicNotFound(name);
        }
        List<CuratorOp> ops = new ArrayList<>();
        try {
            ops.add(client.transactionOp().setData().withVersion(current.version())
                    .forPath(ZNodes.topic(name), ZkJson.topic(definition)));
            newPartitionStates.forEach((p, state) -> ops.add(createOp(new TopicPartition(name, p), state)));
            client.transaction().forOperations(ops);
        } catch (KeeperException.BadVersionException e) {
            throw new TributaryException(ErrorCode.REQUEST_TIMED_OUT, "Topic '" + name
                    + "' was changed concurrently; retry");
        } catch (KeeperException.NoNodeException e) {
            throw topicNotFound(name);
        } catch (Exception e) {
            throw unavailable("updating topic " + name, e);
        }
        topics.put(name, new Versioned<>(definition, current.version() + 1));
        newPartitionStates.forEach((p, s) -> states.put(new TopicPartition(name, p), withVersion(s, 0)));
        notify(l -> l.onTopicChanged(name));
        newPartitionStates.forEach((p, s) -> notify(l -> l.onPartitionStateChanged(new TopicPartition(name, p), withVersion(s, 0))));
    }

    @Override
    public void deleteTopic(String name) {
        try {
            List<CuratorOp> ops = new ArrayList<>();
            if (client.checkExists().forPath(ZNodes.topicPartitions(name)) != null) {
                for (String p : client.getChildren().forPath(ZNodes.topicPartitions(name))) {
                    ops.add(client.transactionOp().delete().forPath(ZNodes.topicPartitions(name) + "/" + p));
                }
                ops.add(client.transactionOp().delete().forPath(ZNodes.topicPartitions(name)));
            }
            ops.add(client.transactionOp().delete().forPath(ZNodes.topic(name)));
            client.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException e) {
            throw topicNotFound(name);
        } catch (Exception e) {
            throw unavailable("deleting topic " + name, e);
        }
        if (topics.remove(name) != null) {
            states.keySet().removeIf(tp -> tp.topic().equals(name));
            notify(l -> l.onTopicDeleted(name));
        }
    }

    @Override
    public boolean compareAndSetPartitionState(TopicPartition tp, PartitionState expected, PartitionState next) {
        try {
            Stat stat = client.setData().withVersion(expected.version()).forPath(ZNodes.partition(tp), ZkJson.partition(next));
            PartitionState stored = withVersion(next, stat.getVersion());
            states.merge(tp, stored, (old, fresh) -> old.version() > fresh.version() ? old : fresh);
            notify(l -> l.onPartitionStateChanged(tp, stored));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw unavailable("updating partition " + tp, e);
        }
    }

    private static PartitionState withVersion(PartitionState s, int version) {
        return new PartitionState(s.leader(), s.leaderEpoch(), s.isr(), version);
    }

    @Override
    public boolean sessionHealthy() {
        return sessionHealthy;
    }

    @Override
    public void addListener(ClusterListener listener) {
        listeners.add(listener);
    }

    private static TributaryException topicNotFound(String name) {
        return new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + name + "' does not exist");
    }

    private static TributaryException unavailable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "ZooKeeper failed while " + what + ": " + e);
    }

    @Override
    public void close() {
        sessionHealthy = false;
        closeQuietly(controllerLatch);
        closeQuietly(registration);
        closeQuietly(cache);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Closing {} failed: {}", c, e.toString());
        }
    }
}
