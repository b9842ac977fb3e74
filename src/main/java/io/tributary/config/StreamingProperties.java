package io.tributary.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the streaming fronts (WebSocket and Server-Sent Events), {@code tributary.streaming.*}.
 *
 * @param readBytes         log bytes a WebSocket consumer reads at a time, over all its partitions
 *                          (at least one batch); written as one or more records frames
 * @param readMaxRecords    records a WebSocket consumer reads at a time
 * @param maxFrameBytes     the size of an outgoing records frame (a larger single record goes alone);
 *                          64KB suits clients with a small default limit (Reactor Netty's)
 * @param maxIncomingFrame  the largest frame a client may send (a produce frame); larger closes with 1009
 * @param eventReadBytes    log bytes read for one write of Server-Sent Events
 * @param heartbeat         how often an idle event stream gets a comment line, to keep proxies from closing it
 */
@Validated
@ConfigurationProperties("tributary.streaming")
public record StreamingProperties(
        @DefaultValue("256KB") @NotNull DataSize readBytes,
        @DefaultValue("10000") @Min(1) int readMaxRecords,
        @DefaultValue("64KB") @NotNull DataSize maxFrameBytes,
        @DefaultValue("16MB") @NotNull DataSize maxIncomingFrame,
        @DefaultValue("64KB") @NotNull DataSize eventReadBytes,
        @DefaultValue("15s") @NotNull Duration heartbeat) {
}
