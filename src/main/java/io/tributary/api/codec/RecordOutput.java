package io.tributary.api.codec;

import tools.jackson.databind.JsonNode;

import java.util.Map;

/** A record as clients read it. */
public record RecordOutput(int partition, long offset, long timestamp, JsonNode key, JsonNode value,
                           Map<String, String> headers) {
}
