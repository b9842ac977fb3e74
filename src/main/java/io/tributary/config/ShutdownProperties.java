package io.tributary.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of a broker's graceful shutdown, {@code tributary.shutdown.*}.
 *
 * @param controlled        whether the broker hands its leadership over before stopping (controlled shutdown)
 * @param controlledTimeout how long it waits for the controller to move its leadership, then stops anyway
 * @param drainTimeout      how long it waits for WebSocket sessions to close after their 1001 close frame
 */
@Validated
@ConfigurationProperties("tributary.shutdown")
public record ShutdownProperties(
        @DefaultValue("true") boolean controlled,
        @DefaultValue("30s") @NotNull Duration controlledTimeout,
        @DefaultValue("5s") @NotNull Duration drainTimeout) {
}
