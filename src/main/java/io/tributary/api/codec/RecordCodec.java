package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Header;
import io.tributary.log.record.Record;
import io.tributary.service.ProduceRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts records between their JSON form (REST, WebSocket, SSE) and bytes. Shared by every
 * transport so a record reads the same everywhere. Thread safety: thread-safe.
 */
public final class RecordCodec {

    private final JsonMapper mapper;

    public RecordCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A record from a client's JSON. */
    public ProduceRecord decode(RecordInput input, RecordFormat keyFormat, RecordFormat valueFormat) {
        if (input == null) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A record must be a JSON object");
        }
        byte[] key = toBytes(input.key(), keyFormat, "key");
        byte[] value = toBytes(input.value(), valueFormat, "value");
        Header[] headers = Header.EMPTY;
        if (input.headers() != null) {
            headers = new Header[input.headers().size()];
            int i = 0;
            for (Map.Entry<String, String> e : input.headers().entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty()) {
                    throw new TributaryException(ErrorCode.INVALID_RECORD, "A header needs a name");
                }
                headers[i++] = new Header(e.getKey(), e.getValue() == null ? null : e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ProduceRecord(key, value, headers, input.partition(), input.timestamp());
    }

    private byte[] toBytes(JsonNode node, RecordFormat format, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (format) {
            case JSON -> mapper.writeValueAsBytes(node);
            case STRING -> node.isString() ? node.asString().getBytes(StandardCharsets.UTF_8)
                    : mapper.writeValueAsBytes(node);
            case BASE64 -> {
                if (!node.isString()) {
                    throw new TributaryException(ErrorCode.INVALID_RECORD, "A base64 " + what + " must be a JSON string");
                }
                try {
                    yield Base64.getDecoder().decode(node.asString());
                } catch (IllegalArgumentException e) {
                    throw new TributaryException(ErrorCode.INVALID_RECORD, "The " + what + " is not valid base64");
                }
            }
        };
    }

    /** A record in its JSON form. */
    public RecordOutput encode(int partition, Record record, RecordFormat keyFormat, RecordFormat valueFormat) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new RecordOutput(partition, record.offset(), record.timestamp(),
                toJson(record.key(), keyFormat), toJson(record.value(), valueFormat), headers);
    }

    private JsonNode toJson(ByteBuffer bytes, RecordFormat format) {
        if (bytes == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return switch (format) {
            case BASE64 -> StringNode.valueOf(Base64.getEncoder().encodeToString(copy(bytes)));
            case STRING -> StringNode.valueOf(utf8(bytes));
            case JSON -> {
                byte[] raw = copy(bytes);
                try {
                    yield mapper.readTree(raw);
                } catch (JacksonException notJson) {
                    yield StringNode.valueOf(new String(raw, StandardCharsets.UTF_8));
                }
            }
        };
    }

    private static String utf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate()).toString();
        } catch (CharacterCodingException e) {
            return new String(copy(bytes), StandardCharsets.UTF_8);
        }
    }

    private static byte[] copy(ByteBuffer bytes) {
        byte[] out = new byte[bytes.remaining()];
        bytes.duplicate().get(out);
        return out;
    }
}
