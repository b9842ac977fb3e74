package io.tributary.api.ws;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The query parameters of a WebSocket handshake, decoded; the first of repeated names wins. */
final class QueryParams {

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    static QueryParams of(URI uri) {
        Map<String, String> values = new HashMap<>();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.putIfAbsent(name, value);
            }
        }
        return new QueryParams(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "Malformed query string: " + e.getMessage());
        }
    }

    /** The value, or null when absent or empty. */
    String get(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    Integer integer(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "'" + name + "' must be a whole number, not '"
                    + value + "'");
        }
    }
}
