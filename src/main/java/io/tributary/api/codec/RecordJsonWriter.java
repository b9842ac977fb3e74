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
    private final DecimalRun offsets = new DecimalRun();
    private final DecimalRun timestamps = new DecimalRun();

    public RecordJsonWriter(RecordFormat keyFormat, RecordFormat valueFormat) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
    }

    /** Writes one record object. */
    public void write(JsonByteWriter out, TopicPartition tp, Record record) {
        out.raw(prefixes.computeIfAbsent(tp, RecordJsonWriter::prefix));
        offsets.write(out, record.offset());
        out.raw(TIMESTAMP);
        timestamps.write(out, record.timestamp());
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

    /**
     * The decimal text of the last number written, kept: records in a row carry consecutive
     * offsets and, mostly, the same timestamp, so the digits are copied or incremented in place
     * instead of divided out again.
     */
    private static final class DecimalRun {
        private static final int WIDTH = 20;
        private final byte[] digits = new byte[WIDTH];
        private int start = WIDTH;
        private long last = -1;

        void write(JsonByteWriter out, long value) {
            if (value != last) {
                if (value < 0) {
                    last = -1;
                    start = WIDTH;
                    out.number(value);
                    return;
                }
                if (last >= 0 && value == last + 1) {
                    increment();
                } else {
                    format(value);
                }
                last = value;
            }
            out.raw(digits, start, WIDTH - start);
        }

        private void increment() {
            for (int i = WIDTH - 1; i >= start; i--) {
                if (digits[i] != '9') {
                    digits[i]++;
                    return;
                }
                digits[i] = '0';
            }
            digits[--start] = '1';
        }

        private void format(long value) {
            int p = WIDTH;
            do {
                digits[--p] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            start = p;
        }
    }
}
