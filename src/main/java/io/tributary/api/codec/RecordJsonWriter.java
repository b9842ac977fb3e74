package io.tributary.api.codec;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.Header;
import io.tributary.log.record.Record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes records as the JSON objects the streaming transports send,
 * {@code {"topic","partition","offset","timestamp","key","value","headers"}}, straight from the
 * record's bytes in the log into a {@link JsonByteWriter}. Keys and values follow the
 * {@link RecordFormat}s chosen (see {@link JsonByteWriter#formatted}); headers are names to UTF-8
 * strings (null stays null), the last of equal names winning as in the REST API.
 *
 * <p>Not thread-safe: one per stream (it caches each partition's pre-encoded prefix).
 */
public final class RecordJsonWriter {

    private static final byte[] TIMESTAMP = bytes(",\"timestamp\":");
    private static final byte[] KEY = bytes(",\"key\":");
    private static final byte[] VALUE = bytes(",\"value\":");
    private static final byte[] HEADERS = bytes(",\"headers\":{");
    private static final byte[] NO_HEADERS = bytes(",\"headers\":{}}");

    private final RecordFormat keyFormat;
    private final RecordFormat valueFormat;
    private final Map<TopicPartition, byte[]> prefixes = new HashMap<>();

    public RecordJsonWriter(RecordFormat keyFormat, RecordFormat valueFormat) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
    }

    /** Writes one record object. */
    public void write(JsonByteWriter out, TopicPartition tp, Record record) {
        out.raw(prefixes.computeIfAbsent(tp, RecordJsonWriter::prefix));
        out.number(record.offset()).raw(TIMESTAMP).number(record.timestamp());
        out.raw(KEY).formatted(record.key(), keyFormat);
        out.raw(VALUE).formatted(record.value(), valueFormat);
        Header[] headers = record.headers();
        if (headers.length == 0) {
            out.raw(NO_HEADERS);
            return;
        }
        out.raw(HEADERS);
        boolean first = true;
        for (int i = 0; i < headers.length; i++) {
            if (overridden(headers, i)) {
                continue;
            }
            if (!first) {
                out.raw((byte) ',');
            }
            first = false;
            out.string(headers[i].key()).raw((byte) ':');
            byte[] value = headers[i].value();
            out.utf8String(value == null ? null : ByteBuffer.wrap(value));
        }
        out.raw((byte) '}').raw((byte) '}');
    }

    private static boolean overridden(Header[] headers, int i) {
        for (int j = i + 1; j < headers.length; j++) {
            if (headers[j].key().equals(headers[i].key())) {
                return true;
            }
        }
        return false;
    }

    private static byte[] prefix(TopicPartition tp) {
        JsonByteWriter w = new JsonByteWriter(64);
        w.ascii("{\"topic\":").string(tp.topic()).ascii(",\"partition\":").number(tp.partition()).ascii(",\"offset\":");
        return w.toByteArray();
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
