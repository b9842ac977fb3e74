package io.tributary.api.health;

import io.tributary.service.ClusterService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP while this broker's ZooKeeper session is live and its view of the cluster current; DOWN
 * while the session is suspended or lost, when the broker acknowledges nothing as a leader. Part
 * of the readiness group: a broker without a session should get no traffic, but is not restarted
 * for it (Curator reconnects).
 */
@Component("zookeeper")
public class ZooKeeperHealthIndicator implements HealthIndicator {

    private final ClusterService cluster;

    public ZooKeeperHealthIndicator(ClusterService cluster) {
        this.cluster = cluster;
    }

    @Override
    public Health health() {
        ClusterService.ClusterView view = cluster.describe();
        Health.Builder builder = cluster.sessionHealthy() ? Health.up() : Health.down().withDetail("session", "suspended or lost");
        return builder.withDetail("brokerId", view.brokerId())
                .withDetail("controllerId", view.controllerId() == null ? "none" : view.controllerId())
                .withDetail("liveBrokers", view.brokers().size())
                .build();
    }
}
