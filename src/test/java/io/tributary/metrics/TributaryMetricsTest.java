package io.tributary.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogReadResult;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.replication.Acks;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationClients;
import io.tributary.replication.ReplicationConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TributaryMetricsTest {

    private static final TopicDefinition ORDERS = new TopicDefinition("orders", 2, Map.of(),
            Map.of(0, List.of(1, 2), 1, List.of(1)), 0);
    private static final TopicDefinition ELSEWHERE = new TopicDefinition("elsewhere", 1, Map.of(),
            Map.of(0, List.of(2)), 0);

    @TempDir
    Path dataDir;

    private final StaticClusterMetadata cluster = new StaticClusterMetadata();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LogManager logs;
    private ReplicaManager replicas;
    private TributaryMetrics metrics;

    @BeforeEach
    void startBroker() {
        cluster.put(ORDERS, Map.of(0, new PartitionState(1, 0, List.of(1), 0), 1, new PartitionState(1, 0, List.of(1), 0)));
        cluster.put(ELSEWHERE, Map.of(0, new PartitionState(PartitionState.NO_LEADER, 1, List.of(2), 1)));
        logs = new LogManager(LogManagerConfig.of(dataDir, FlushPolicy.NONE), topic -> LogConfig.defaults(), Time.SYSTEM);
        logs.startup();
        replicas = new ReplicaManager(cluster, logs, LogConfig.defaults(), Time.SYSTEM, ReplicationConfig.defaults(),
                new ReplicationClients(cluster));
        replicas.reconcileAll();
        replicas.awaitApplied(10_000);
        metrics = new TributaryMetrics(replicas, logs, cluster, null);
        metrics.bindTo(registry);
    }

    @AfterEach
    void stopBroker() {
        replicas.close();
        logs.close();
    }

    private static MemoryRecords records(String... values) {
        SimpleRecord[] rs = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            rs[i] = SimpleRecord.of(1, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return RecordBatchBuilder.withRecords(0, rs);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void topicTrafficCountersSumTheHostedPartitions() {
        Partition p0 = replicas.leaderPartition(new TopicPartition("orders", 0));
        Partition p1 = replicas.leaderPartition(new TopicPartition("orders", 1));
        MemoryRecords three = records("a", "b", "c");
        MemoryRecords one = records("d");
        p0.appendAsLeader(three, Acks.LEADER).join();
        p1.appendAsLeader(one, Acks.LEADER).join();
        LogReadResult read = p0.read(0, 1 << 20);

        assertThat(counter("tributary.server.broker.topic.messages.in", "topic", "orders")).isEqualTo(4);
        assertThat(counter("tributary.server.broker.topic.bytes.in", "topic", "orders"))
                .isEqualTo(three.sizeInBytes() + one.sizeInBytes());
        assertThat(counter("tributary.server.broker.topic.bytes.out", "topic", "orders"))
                .isEqualTo(read.records().sizeInBytes()).isPositive();
        assertThat(counter("tributary.server.broker.topic.replication.bytes.out", "topic", "orders")).isZero();
    }

    @Test
    void replicaManagerGaugesCountLeadersAndShortIsrs() {
        String rm = "tributary.server.replica.manager.";
        assertThat(gauge(rm + "partition.count")).isEqualTo(2);
        assertThat(gauge(rm + "leader.count")).isEqualTo(2);
        assertThat(gauge(rm + "under.replicated.partitions")).isEqualTo(1);
        assertThat(gauge(rm + "under.min.isr.partition.count")).isZero();
        assertThat(counter(rm + "isr.shrinks")).isZero();
        assertThat(counter(rm + "isr.expands")).isZero();
    }

    @Test
    void controllerGaugesReportOnlyOnTheController() {
        assertThat(gauge("tributary.controller.active.controller.count")).isEqualTo(1);
        assertThat(gauge("tributary.controller.offline.partitions.count")).isEqualTo(1);
        assertThat(gauge("tributary.controller.global.partition.count")).isEqualTo(3);

        cluster.controller = false;

        assertThat(gauge("tributary.controller.active.controller.count")).isZero();
        assertThat(gauge("tributary.controller.offline.partitions.count")).isZero();
        assertThat(gauge("tributary.controller.global.partition.count")).isZero();
    }

    @Test
    void logGaugesFollowEachPartitionsLog() {
        Partition p0 = replicas.leaderPartition(new TopicPartition("orders", 0));
        p0.appendAsLeader(records("a", "b"), Acks.LEADER).join();

        assertThat(gauge("tributary.log.size", "topic", "orders", "partition", "0")).isEqualTo(p0.log().sizeInBytes())
                .isPositive();
        assertThat(gauge("tributary.log.size", "topic", "orders", "partition", "1")).isZero();
        assertThat(gauge("tributary.log.num.segments", "topic", "orders", "partition", "0")).isEqualTo(1);
        assertThat(gauge("tributary.log.log.start.offset", "topic", "orders", "partition", "0")).isZero();
        assertThat(gauge("tributary.log.log.end.offset", "topic", "orders", "partition", "0")).isEqualTo(2);
        assertThat(counter("tributary.log.recovery.truncated.bytes")).isZero();
        assertThat(counter("tributary.log.recovery.truncations")).isZero();
    }

    @Test
    void aTopicsRowsGoWhenThisBrokerNoLongerHostsIt() {
        assertThat(registry.find("tributary.log.size").tag("topic", "orders").gauges()).hasSize(2);

        replicas.onTopicDeleted("orders");
        replicas.awaitApplied(10_000);
        metrics.refresh();

        assertThat(registry.find("tributary.log.size").tag("topic", "orders").gauges()).isEmpty();
        assertThat(registry.find("tributary.server.broker.topic.bytes.in").tag("topic", "orders").functionCounters())
                .isEmpty();
        assertThat(registry.find("tributary.server.replica.manager.partition.count").gauge()).extracting(Gauge::value)
                .isEqualTo(0.0);
    }

    @Test
    void countersAreRegisteredOncePerTopic() {
        metrics.refresh();
        metrics.refresh();

        assertThat(registry.find("tributary.server.broker.topic.messages.in").functionCounters())
                .extracting(FunctionCounter::getId).hasSize(1);
    }
}
