package io.tributary.api.codec;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A record as a client sends it.
 *
 * @param key       a string by default (stored as UTF-8, as Kafka's StringSerializer writes it); null: no key
 * @param value     any JSON by default (stored as its JSON text); null: a tombstone
 * @param headers   header names to string values
 * @param partition an explicit partition; otherwise the key's hash, or round robin without a key
 * @param timestamp create time in epoch milliseconds; otherwise the broker's clock
 */
public record RecordInput(
        @Schema(description = "Record key; a string unless keyFormat says otherwise", example = "user-1") JsonNode key,
        @Schema(description = "Record value; any JSON unless valueFormat says otherwise",
                example = "{\"action\":\"login\"}") JsonNode value,
        @Schema(description = "Headers, name to string value", example = "{\"source\":\"web\"}") Map<String, String> headers,
        @Schema(description = "Explicit partition (optional)", example = "0") Integer partition,
        @Schema(description = "Create time in epoch milliseconds (optional)", example = "1764028800000") Long timestamp) {
}
