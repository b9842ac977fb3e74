package io.tributary.bench.front;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} options of a benchmark case. Thread safety: immutable after parsing. */
public final class BenchArgs {

    private final Map<String, String> values = new HashMap<>();

    public BenchArgs(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name + "=...");
        }
        return value;
    }

    public int integer(String name, int defaultValue) {
        return Integer.parseInt(string(name, Integer.toString(defaultValue)));
    }

    public long longValue(String name, long defaultValue) {
        return Long.parseLong(string(name, Long.toString(defaultValue)));
    }
}
