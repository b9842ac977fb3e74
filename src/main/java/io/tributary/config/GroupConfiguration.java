package io.tributary.config;

import io.tributary.api.rest.GroupForwarding;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.common.Time;
import io.tributary.group.AsyncCommitAuditLog;
import io.tributary.group.CommitAudit;
import io.tributary.group.CoordinatorRouter;
import io.tributary.group.GroupAdmin;
import io.tributary.group.GroupCoordinator;
import io.tributary.group.GroupSettings;
import io.tributary.group.GroupTopicWatcher;
import io.tributary.group.LogOffsetStore;
import io.tributary.group.MemberFetcher;
import io.tributary.group.ReplicaLogOffsets;
import io.tributary.metadata.AuditedCommit;
import io.tributary.metadata.OffsetCommitTrail;
import io.tributary.replication.ReplicaManager;
import io.tributary.service.FetchService;
import io.tributary.service.OffsetService;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.codec.ServerCodecConfigurer;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires consumer groups: the {@code __consumer_offsets} store, the coordinator and its timer, the
 * REST member fetcher, the audit trail (the JPA trail behind the coordinator's audit port), and the
 * routing of group requests to the coordinating broker.
 */
@Configuration(proxyBeanMethods = false)
public class GroupConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GroupConfiguration.class);
    private static final int AUDIT_BATCH = 2_000;

    /** The thread that runs the coordinator's timers, topic-change handling and audit purges. */
    public record GroupTimer(ScheduledExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean
    LogOffsetStore offsetStore(ZkClusterMetadata cluster, TopicService topics, ProduceService produce,
                               ReplicaManager replicas, GroupProperties properties) {
        return new LogOffsetStore(cluster, topics, produce, replicas, properties.offsetsTopicPartitions(),
                properties.offsetsTopicReplicationFactor());
    }

    @Bean(destroyMethod = "close")
    AsyncCommitAuditLog commitAuditLog(OffsetCommitTrail trail) {
        return new AsyncCommitAuditLog(commits -> trail.recordAll(toRows(commits)), AUDIT_BATCH);
    }

    private static List<AuditedCommit> toRows(List<CommitAudit> commits) {
        return commits.stream().map(c -> new AuditedCommit(null, c.group(), c.memberId(), c.clientAddress(), c.topic(),
                c.partition(), c.offset(), c.generation(), Instant.ofEpochMilli(c.timestampMs()))).toList();
    }

    @Bean
    GroupCoordinator groupCoordinator(LogOffsetStore store, ZkClusterMetadata cluster, OffsetService offsets,
                                      AsyncCommitAuditLog audit, Time time, GroupProperties properties) {
        return new GroupCoordinator(store, new ReplicaLogOffsets(cluster, offsets), audit, time,
                new GroupSettings(properties.sessionTimeout().toMillis(), properties.rebalanceTimeout().toMillis(),
                        properties.resumeGracePeriod().toMillis()));
    }

    @Bean
    GroupAdmin groupAdmin(GroupCoordinator coordinator) {
        return new GroupAdmin(coordinator);
    }

    @Bean
    CoordinatorRouter coordinatorRouter(GroupCoordinator coordinator, ZkClusterMetadata cluster) {
        return new CoordinatorRouter(coordinator, cluster);
    }

    @Bean
    GroupForwarding groupForwarding(CoordinatorRouter router, ReactorResourceFactory resources,
                                    ServerCodecConfigurer codecs) {
        return new GroupForwarding(router, resources, codecs);
    }

    @Bean
    MemberFetcher memberFetcher(GroupCoordinator coordinator, FetchService fetcher) {
        return new MemberFetcher(coordinator, fetcher);
    }

    @Bean(destroyMethod = "close")
    GroupTimer groupTimer(GroupCoordinator coordinator, ZkClusterMetadata cluster, OffsetCommitTrail trail,
                          GroupProperties properties, Time time) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-group-timer");
            t.setDaemon(true);
            return t;
        });
        long tick = properties.timerTick().toMillis();
        executor.scheduleWithFixedDelay(guarded("expiring group members", coordinator::tick), tick, tick,
                TimeUnit.MILLISECONDS);
        long retention = properties.auditRetention().toMillis();
        long purgeEvery = Math.max(1_000, Math.min(retention / 10, TimeUnit.HOURS.toMillis(1)));
        executor.scheduleWithFixedDelay(guarded("purging the offset-commit audit trail", () -> {
            int purged = trail.purgeOlderThan(Instant.ofEpochMilli(time.milliseconds() - retention));
            if (purged > 0) {
                LOG.info("Purged {} offset-commit audit rows older than {}", purged, properties.auditRetention());
            }
        }), purgeEvery, purgeEvery, TimeUnit.MILLISECONDS);
        cluster.addListener(new GroupTopicWatcher(coordinator, executor));
        return new GroupTimer(executor);
    }

    /** Rebuilds the offsets cache of every partition this broker leads once the broker is up. */
    @EventListener(ApplicationReadyEvent.class)
    void loadOffsets(ApplicationReadyEvent event) {
        LogOffsetStore store = event.getApplicationContext().getBean(LogOffsetStore.class);
        event.getApplicationContext().getBean(GroupTimer.class).executor()
                .execute(guarded("loading committed offsets", store::loadLocalPartitions));
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Failed {}", what, e);
            }
        };
    }
}
