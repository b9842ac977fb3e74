package io.tributary.api.ws;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a produce frame besides its records, collected as the frame is parsed:
 * {@code id} (any JSON, echoed back byte for byte), {@code topic}, {@code acks}, and {@code type}
 * (optional; {@code "produce"} if present). Not thread-safe; one per frame.
 */
final class FrameFields {

    private final JsonMapper mapper;
    private byte[] id;
    private String topic;
    private String acks;
    private String type;
    private TributaryException invalid;

    FrameFields(JsonMapper mapper) {
        this.mapper = mapper;
    }

    void accept(String field, byte[] rawJson) {
        switch (field) {
            case "id" -> id = rawJson;
            case "topic" -> topic = text(field, rawJson, false);
            case "acks" -> acks = text(field, rawJson, true);
            case "type" -> type = text(field, rawJson, false);
            default -> {
                // other fields are ignored, as in the REST body
            }
        }
    }

    private String text(String field, byte[] rawJson, boolean numberAllowed) {
        try {
            JsonNode node = mapper.readTree(rawJson);
            if (node.isString() || numberAllowed && node.isIntegralNumber()) {
                return node.asString();
            }
        } catch (JacksonException e) {
            // reported below
        }
        if (invalid == null) {
            invalid = new TributaryException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be a string");
        }
        return null;
    }

    /** Throws for a field of the wrong type, or a {@code type} other than produce. */
    void checkType() {
        if (invalid != null) {
            throw invalid;
        }
        if (type != null && !type.equals("produce")) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A produce frame has no type or type 'produce', not '"
                    + type + "'");
        }
    }

    byte[] id() {
        return id;
    }

    String topic() {
        return topic;
    }

    String acks() {
        return acks;
    }
}
