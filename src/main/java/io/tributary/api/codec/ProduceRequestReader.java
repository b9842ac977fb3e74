package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Header;
import io.tributary.service.ProduceRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads a produce request body, {@code {"records":[{"key","value","headers","partition","timestamp"}]}},
 * straight from its bytes with a streaming parser. A JSON value is stored as the exact bytes the
 * client sent for it: they are sliced out of the body, never parsed into a tree and written again,
 * which is most of the cost of a produce request. Unknown fields are ignored. Malformed input is
 * {@link ErrorCode#INVALID_REQUEST} with the position of the problem. Thread safety: thread-safe.
 */
public final class ProduceRequestReader {

    private final JsonMapper mapper;

    public ProduceRequestReader(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The records of a request body, in order. */
    public List<ProduceRecord> read(byte[] body, RecordFormat keyFormat, RecordFormat valueFormat) {
        return read(body, keyFormat, valueFormat, null);
    }

    /**
     * As {@link #read(byte[], RecordFormat, RecordFormat)}, handing every other top-level field, in
     * the order met, to {@code otherField} with the exact bytes of its JSON value (a WebSocket
     * produce frame's {@code id}, {@code topic}, {@code acks}); null skips them.
     */
    public List<ProduceRecord> read(byte[] body, RecordFormat keyFormat, RecordFormat valueFormat,
                                    BiConsumer<String, byte[]> otherField) {
        try (JsonParser parser = mapper.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(parser, "the body must be a JSON object with a 'records' array");
            }
            List<ProduceRecord> records = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("records".equals(field) && token == JsonToken.START_ARRAY) {
                    records = readRecords(parser, body, keyFormat, valueFormat);
                } else if (otherField != null) {
                    otherField.accept(field, rawJson(parser, token, body));
                } else {
                    parser.skipChildren();
                }
            }
            if (records == null || records.isEmpty()) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "The body needs a non-empty 'records' array");
            }
            if (parser.nextToken() != null) {
                throw malformed(parser, "unexpected content after the request object");
            }
            return records;
        } catch (JacksonException e) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "Malformed JSON: " + e.getOriginalMessage()
                    + " at " + location(e.getLocation()));
        }
    }

    /**
     * The records of NDJSON text: {@code body} holds whole lines, one record object each (blank
     * lines are skipped). JSON values are sliced out of {@code body} as in {@link #read}.
     */
    public List<ProduceRecord> readLines(byte[] body, RecordFormat keyFormat, RecordFormat valueFormat) {
        try (JsonParser parser = mapper.createParser(body)) {
            List<ProduceRecord> records = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw malformed(parser, "each line must be a record JSON object");
                }
                records.add(readRecord(parser, body, keyFormat, valueFormat));
            }
            return records;
        } catch (JacksonException e) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "Malformed JSON: " + e.getOriginalMessage()
                    + " at " + location(e.getLocation()));
        }
    }

    private List<ProduceRecord> readRecords(JsonParser parser, byte[] body, RecordFormat keyFormat,
                                            RecordFormat valueFormat) {
        List<ProduceRecord> records = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw malformed(parser, "each record must be a JSON object");
            }
            records.add(readRecord(parser, body, keyFormat, valueFormat));
        }
        return records;
    }

    private ProduceRecord readRecord(JsonParser parser, byte[] body, RecordFormat keyFormat, RecordFormat valueFormat) {
        byte[] key = null;
        byte[] value = null;
        Header[] headers = Header.EMPTY;
        Integer partition = null;
        Long timestamp = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "key" -> key = bytes(parser, token, body, keyFormat, "key");
                case "value" -> value = bytes(parser, token, body, valueFormat, "value");
                case "headers" -> headers = headers(parser, token);
                case "partition" -> partition = token == JsonToken.VALUE_NULL ? null : intValue(parser, token, "partition");
                case "timestamp" -> timestamp = token == JsonToken.VALUE_NULL ? null : longValue(parser, token, "timestamp");
                default -> parser.skipChildren();
            }
        }
        return new ProduceRecord(key, value, headers, partition, timestamp);
    }

    private static byte[] bytes(JsonParser parser, JsonToken token, byte[] body, RecordFormat format, String what) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING && format != RecordFormat.JSON) {
            String text = parser.getString();
            if (format == RecordFormat.STRING) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new TributaryException(ErrorCode.INVALID_RECORD, "The " + what + " is not valid base64");
            }
        }
        if (format == RecordFormat.BASE64) {
            throw new TributaryException(ErrorCode.INVALID_RECORD, "A base64 " + what + " must be a JSON string");
        }
        return rawJson(parser, token, body);
    }

    /** The exact bytes of the current JSON value in the body. */
    private static byte[] rawJson(JsonParser parser, JsonToken token, byte[] body) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        } else {
            parser.finishToken();
        }
        int end = (int) parser.currentLocation().getByteOffset();
        while (end > start && isSeparator(body[end - 1])) {
            end--;
        }
        return Arrays.copyOfRange(body, start, end);
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',';
    }

    private static Header[] headers(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return Header.EMPTY;
        }
        if (token != JsonToken.START_OBJECT) {
            throw malformed(parser, "'headers' must be an object of names to string values");
        }
        List<Header> headers = new ArrayList<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.isEmpty()) {
                throw new TributaryException(ErrorCode.INVALID_RECORD, "A header needs a name");
            }
            if (value == JsonToken.VALUE_NULL) {
                headers.add(new Header(name, null));
            } else if (value.isScalarValue()) {
                headers.add(new Header(name, parser.getString().getBytes(StandardCharsets.UTF_8)));
            } else {
                throw malformed(parser, "header '" + name + "' must have a string value");
            }
        }
        return headers.toArray(Header[]::new);
    }

    private static int intValue(JsonParser parser, JsonToken token, String what) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw malformed(parser, "'" + what + "' must be a whole number");
        }
        return parser.getIntValue();
    }

    private static long longValue(JsonParser parser, JsonToken token, String what) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw malformed(parser, "'" + what + "' must be a whole number");
        }
        return parser.getLongValue();
    }

    private static TributaryException malformed(JsonParser parser, String problem) {
        return new TributaryException(ErrorCode.INVALID_REQUEST, "Malformed produce request: " + problem + " at "
                + location(parser.currentTokenLocation()));
    }

    private static String location(TokenStreamLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
