package io.tributary.config;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.Controller;
import io.tributary.cluster.EmbeddedZooKeeper;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.common.Time;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationClients;
import io.tributary.replication.ReplicationConfig;
import io.tributary.replication.ReplicationServer;
import io.tributary.metadata.TopicCatalog;
import io.tributary.service.ClusterService;
import io.tributary.service.FetchService;
import io.tributary.service.OffsetService;
import io.tributary.service.PartitionRouter;
import io.tributary.service.TopicCatalogMirror;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires coordination and the broker's core services: ZooKeeper (an embedded server when no
 * ensemble is configured), Curator, cluster metadata, the replica manager and the services the
 * front calls. Beans close in reverse order of creation, so on shutdown replicas stop leading
 * before the ZooKeeper session ends, and logs close last.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /** The connect string in use, and the embedded server behind it if this broker runs one. */
    public record ZooKeeperConnection(String connectString, EmbeddedZooKeeper embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    ZooKeeperConnection zooKeeperConnection(TributaryProperties properties) throws Exception {
        TributaryProperties.Zookeeper zk = properties.zookeeper();
        if (zk.connect() != null && !zk.connect().isBlank()) {
            return new ZooKeeperConnection(zk.connect(), null);
        }
        EmbeddedZooKeeper embedded = EmbeddedZooKeeper.start(properties.dataDir().resolve("zookeeper"),
                zk.embeddedHost(), zk.embeddedPort());
        return new ZooKeeperConnection(embedded.connectString(), embedded);
    }

    @Bean(destroyMethod = "close")
    CuratorFramework curator(ZooKeeperConnection connection, TributaryProperties properties) {
        TributaryProperties.Zookeeper zk = properties.zookeeper();
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connection.connectString())
                .sessionTimeoutMs((int) zk.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) zk.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
                .build();
        client.start();
        return client;
    }

    @Bean
    ReplicationConfig replicationConfig(TributaryProperties properties) {
        TributaryProperties.Replication r = properties.replication();
        return new ReplicationConfig(r.bindHost(), r.port(), r.replicaLagTimeMax().toMillis(),
                (int) r.fetchMaxWait().toMillis(), (int) r.fetchMaxBytes().toBytes(), r.fetcherThreads(),
                r.ackTimeout().toMillis(), r.controllerInterval().toMillis());
    }

    /** Listening before the broker registers, so its registration carries the bound port. */
    @Bean(destroyMethod = "close")
    ReplicationServer replicationServer(ReplicationConfig config) {
        return ReplicationServer.start(config.bindHost(), config.port());
    }

    @Bean(destroyMethod = "close")
    ZkClusterMetadata clusterMetadata(CuratorFramework curator, TributaryProperties properties,
                                      ReplicationServer replicationServer,
                                      @Value("${server.port:8080}") int port) throws Exception {
        BrokerInfo self = new BrokerInfo(properties.brokerId(), properties.advertisedHost(), port,
                replicationServer.port());
        ZkClusterMetadata metadata = new ZkClusterMetadata(curator, self);
        metadata.start(properties.zookeeper().connectionTimeout().toMillis());
        return metadata;
    }

    @Bean(destroyMethod = "close")
    ReplicaManager replicaManager(ZkClusterMetadata cluster, LogManager logManager, LogConfig defaultLogConfig,
                                  ReplicationConfig config, ReplicationServer server, Time time) {
        ReplicaManager replicas = new ReplicaManager(cluster, logManager, defaultLogConfig, time, config,
                new ReplicationClients(cluster));
        cluster.addListener(replicas);
        replicas.reconcileAll();
        replicas.awaitApplied(60_000);
        replicas.serveOn(server);
        return replicas;
    }

    @Bean(destroyMethod = "close")
    Controller controller(ZkClusterMetadata cluster, ReplicationConfig config, ReplicaManager replicas) {
        Controller controller = new Controller(cluster, config.controllerIntervalMs());
        cluster.addListener(controller);
        controller.requestPass();
        return controller;
    }

    @Bean
    TopicService topicService(ZkClusterMetadata cluster, ReplicaManager replicas, LogConfig defaultLogConfig, Time time) {
        return new TopicService(cluster, replicas, defaultLogConfig, time);
    }

    @Bean
    ProduceService produceService(ZkClusterMetadata cluster, ReplicaManager replicas, Time time) {
        return new ProduceService(cluster, replicas, time);
    }

    @Bean(destroyMethod = "close")
    TopicCatalogMirror topicCatalogMirror(ZkClusterMetadata cluster, TopicCatalog catalog) {
        TopicCatalogMirror mirror = new TopicCatalogMirror(cluster, catalog);
        cluster.addListener(mirror);
        return mirror;
    }

    /** The registration carries the HTTP port the server really bound (server.port may be 0). */
    @org.springframework.context.event.EventListener(org.springframework.boot.web.server.context.WebServerInitializedEvent.class)
    void advertisePort(org.springframework.boot.web.server.context.WebServerInitializedEvent event) {
        event.getApplicationContext().getBean(ZkClusterMetadata.class).advertisePort(event.getWebServer().getPort());
    }

    /** The catalogue's first full sync waits for a fully started context (JPA and all). */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void syncCatalogue(org.springframework.boot.context.event.ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(TopicCatalogMirror.class).syncAll();
    }

    @Bean
    PartitionRouter partitionRouter(ZkClusterMetadata cluster) {
        return new PartitionRouter(cluster);
    }

    @Bean
    FetchService fetchService(ReplicaManager replicas, PartitionRouter router) {
        return new FetchService(replicas, router);
    }

    @Bean
    ClusterService clusterService(ZkClusterMetadata cluster) {
        return new ClusterService(cluster);
    }

    @Bean
    OffsetService offsetService(ZkClusterMetadata cluster, ReplicaManager replicas) {
        return new OffsetService(cluster, replicas);
    }
}
