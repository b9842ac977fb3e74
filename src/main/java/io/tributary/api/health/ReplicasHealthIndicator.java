package io.tributary.api.health;

import io.tributary.common.TopicPartition;
import io.tributary.replication.ReplicaManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * OUT_OF_SERVICE while this broker follows a partition whose leader has not yet taken it back into
 * the ISR: it is still catching up. Part of the readiness group, so a rolling restart of the
 * brokers (a StatefulSet waits for each pod to be ready before the next) never stops a broker
 * while another one is still behind, which would shrink ISRs below {@code min.insync.replicas}.
 */
@Component("replicas")
public class ReplicasHealthIndicator implements HealthIndicator {

    private static final int LISTED = 20;

    private final ReplicaManager replicas;

    public ReplicasHealthIndicator(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public Health health() {
        List<TopicPartition> behind = replicas.followersNotInSync();
        Health.Builder builder = behind.isEmpty() ? Health.up() : Health.outOfService();
        builder.withDetail("hosted", replicas.partitions().size()).withDetail("catchingUp", behind.size());
        if (!behind.isEmpty()) {
            builder.withDetail("partitions", behind.stream().limit(LISTED).map(TopicPartition::toString).toList());
        }
        return builder.build();
    }
}
