package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.Locale;

/**
 * How a key or value is written in JSON: as any JSON value (stored as its JSON text), as a string
 * (stored as its UTF-8 bytes, as Kafka's StringSerializer writes it) or as base64 (any bytes).
 */
public enum RecordFormat {
    JSON,
    STRING,
    BASE64;

    /** Parses a request parameter; null gives {@code fallback}. */
    public static RecordFormat parse(String value, RecordFormat fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST,
                    "Format must be json, string or base64, not '" + value + "'");
        }
    }
}
