package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.Locale;

/**
 * Where a consumer starts in a partition: {@code earliest} (the log start), {@code latest} (the
 * high watermark: only records produced from now on), an offset, or {@code time:<epochMs>} (the
 * first record with a timestamp at or after it; the high watermark when there is none).
 *
 * @param kind  which of the four
 * @param value the offset or the timestamp; unused for earliest and latest
 */
public record StartPosition(Kind kind, long value) {

    public enum Kind { EARLIEST, LATEST, OFFSET, TIME }

    public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, 0);
    public static final StartPosition LATEST = new StartPosition(Kind.LATEST, 0);

    /** Parses {@code earliest}, {@code latest}, an offset or {@code time:<epochMs>}; null gives {@code fallback}. */
    public static StartPosition parse(String text, StartPosition fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "earliest" -> {
                return EARLIEST;
            }
            case "latest" -> {
                return LATEST;
            }
            default -> {
                boolean time = s.startsWith("time:");
                long value = parseNonNegative(time ? s.substring(5) : s, text);
                return new StartPosition(time ? Kind.TIME : Kind.OFFSET, value);
            }
        }
    }

    private static long parseNonNegative(String digits, String original) {
        try {
            long value = Long.parseLong(digits);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new TributaryException(ErrorCode.INVALID_REQUEST, "'from' must be earliest, latest, an offset or "
                + "time:<epochMs>, not '" + original + "'");
    }

    public static StartPosition offset(long offset) {
        return new StartPosition(Kind.OFFSET, offset);
    }
}
