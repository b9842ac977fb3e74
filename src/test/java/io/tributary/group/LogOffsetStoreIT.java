package io.tributary.group;

import io.tributary.BrokerTestProperties;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.replication.ReplicaManager;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offset store contract against {@code __consumer_offsets} on a real broker. Reopening builds a
 * new store over the same topic, whose cache is rebuilt by replaying the log.
 */
@SpringBootTest
class LogOffsetStoreIT extends OffsetStoreContract {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
        registry.add("tributary.group.offsets-topic-partitions", () -> "4");
    }

    @Autowired
    ZkClusterMetadata cluster;
    @Autowired
    TopicService topics;
    @Autowired
    ProduceService produce;
    @Autowired
    ReplicaManager replicas;
    @Autowired
    LogOffsetStore store;

    @Override
    OffsetStore store() {
        return store;
    }

    @Override
    OffsetStore reopen() {
        return new LogOffsetStore(cluster, topics, produce, replicas, 4, 1);
    }

    @Test
    void theOffsetsTopicIsCompactedAndGroupsLandInAbsHashModPartitions() {
        store.coordinatorFor("any");
        assertThat(cluster.topic(LogOffsetStore.TOPIC)).hasValueSatisfying(t -> {
            assertThat(t.partitions()).isEqualTo(4);
            assertThat(t.configs()).containsEntry("cleanup.policy", "compact");
        });
        assertThat(store.coordinatorFor("orders-app").partition()).isEqualTo(Math.abs("orders-app".hashCode()) % 4);
        assertThat(CoordinatorPlacement.partitionFor("polygenelubricants", 4)).isZero();
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
    }
}
