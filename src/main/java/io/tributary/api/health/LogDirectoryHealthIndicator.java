package io.tributary.api.health;

import io.tributary.common.TributaryException;
import io.tributary.log.LogManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP while the data directory takes writes; DOWN, for good, once an I/O error has failed it (its
 * partitions refuse writes until the broker restarts).
 */
@Component("logDirectory")
public class LogDirectoryHealthIndicator implements HealthIndicator {

    private final LogManager logManager;

    public LogDirectoryHealthIndicator(LogManager logManager) {
        this.logManager = logManager;
    }

    @Override
    public Health health() {
        TributaryException failure = logManager.failure();
        Health.Builder builder = failure == null ? Health.up() : Health.down().withDetail("error", failure.getMessage());
        return builder.withDetail("path", logManager.dataDir().toAbsolutePath().toString())
                .withDetail("partitions", logManager.allLogs().size())
                .build();
    }
}
