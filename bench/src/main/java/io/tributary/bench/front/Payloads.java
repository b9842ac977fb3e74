package io.tributary.bench.front;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Request bodies of the front benchmark. Every record has no key and a value of exactly
 * {@code valueBytes} bytes as stored: a JSON string (the broker keeps a JSON value as the bytes
 * sent, quotes included), the same record size as Kafka's {@code --record-size}.
 * Thread safety: stateless.
 */
public final class Payloads {

    private Payloads() {
    }

    /** A JSON string literal of exactly {@code bytes} bytes, quotes included. */
    static String value(int bytes) {
        char[] text = new char[bytes - 2];
        Arrays.fill(text, 'x');
        return '"' + new String(text) + '"';
    }

    /** {@code {"records":[{"value":...} x count]}}: the body of one batch produce request. */
    public static byte[] batch(int count, int valueBytes) {
        return batch(count, valueBytes, -1);
    }

    /** As {@link #batch(int, int)}, every record naming {@code partition} (none when negative). */
    public static byte[] batch(int count, int valueBytes, int partition) {
        String record = "{" + partitionField(partition) + "\"value\":" + value(valueBytes) + "}";
        StringBuilder body = new StringBuilder(count * (record.length() + 1) + 16).append("{\"records\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append(record);
        }
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code "partition":p,} or nothing when {@code partition} is negative. */
    static String partitionField(int partition) {
        return partition < 0 ? "" : "\"partition\":" + partition + ",";
    }

    /** {@code count} NDJSON lines, one record each. */
    static byte[] ndjson(int count, int valueBytes) {
        String line = "{\"value\":" + value(valueBytes) + "}\n";
        return line.repeat(count).getBytes(StandardCharsets.UTF_8);
    }

    /** The records array of a WebSocket produce frame, to be wrapped with its id. */
    static String recordsArray(int count, int valueBytes) {
        String record = "{\"value\":" + value(valueBytes) + "}";
        StringBuilder array = new StringBuilder(count * (record.length() + 1) + 2).append('[');
        for (int i = 0; i < count; i++) {
            array.append(i == 0 ? "" : ",").append(record);
        }
        return array.append(']').toString();
    }

    /**
     * A JSON object value of exactly {@code bytes} bytes that carries {@code sentNanos}:
     * {@code {"t":<nanos, blank-padded>,"p":"xxx..."}}, so a consumer finds the send time with {@link JsonScan}
     * looking for {@code "t"}.
     */
    public static String timedValue(long sentNanos, int bytes) {
        // the number padded with blanks, not zeros (JSON allows no leading zeros)
        String head = "{\"t\":" + String.format("%-20d", sentNanos) + ",\"p\":\"";
        return head + "x".repeat(bytes - head.length() - 2) + "\"}";
    }
}
