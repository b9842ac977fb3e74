package io.tributary.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's ephemeral znode {@code /tributary/brokers/<id>}: a {@link PersistentNode}, so
 * Curator recreates it after a session loss. A broker of the same id that was killed keeps its
 * znode until its session expires; registering waits for that (up to a session timeout) instead
 * of failing, and refuses only an id a live broker holds.
 *
 * <p>Thread safety: thread-safe.
 */
final class BrokerRegistration implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRegistration.class);

    private final PersistentNode node;
    private volatile BrokerInfo info;

    private BrokerRegistration(PersistentNode node, BrokerInfo info) {
        this.node = node;
        this.info = info;
    }

    /** Registers {@code self}, waiting for a dead predecessor's znode to expire. */
    static BrokerRegistration register(CuratorFramework client, BrokerInfo self, long timeoutMs) throws Exception {
        String path = ZNodes.broker(self.id());
        CountDownLatch gone = new CountDownLatch(1);
        Stat existing = client.checkExists().usingWatcher((CuratorWatcher) e -> gone.countDown()).forPath(path);
        long mySession = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (existing != null && existing.getEphemeralOwner() != mySession) {
            long waitMs = client.getZookeeperClient().getZooKeeper().getSessionTimeout() + timeoutMs;
            LOG.warn("Broker id {} is still registered by session {}; waiting up to {} ms for it to expire", self.id(),
                    Long.toHexString(existing.getEphemeralOwner()), waitMs);
            if (!gone.await(waitMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Broker id " + self.id() + " is already registered by a live broker");
            }
        }
        PersistentNode node = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, ZkJson.broker(self));
        node.start();
        if (!node.waitForInitialCreate(timeoutMs, TimeUnit.MILLISECONDS)) {
            node.close();
            throw new IllegalStateException("Could not register broker " + self.id() + " within " + timeoutMs + " ms");
        }
        return new BrokerRegistration(node, self);
    }

    BrokerInfo info() {
        return info;
    }

    /** Replaces the registered information (the same id). */
    void update(BrokerInfo updated) throws Exception {
        node.setData(ZkJson.broker(updated));
        info = updated;
    }

    @Override
    public void close() throws Exception {
        node.close();
    }
}
