package io.tributary.service;

/**
 * A consumer's credit in messages and bytes (key plus value sizes). Nothing flows until the first
 * grant; after it, a dimension never granted is unlimited and a granted one is spent as records
 * are delivered. Without credit mode everything is unlimited. Not thread-safe: guarded by the
 * owning {@link ConsumeSession}'s lock.
 */
final class ConsumeCredit {

    private final boolean enabled;
    private boolean granted;
    private boolean limitMessages;
    private boolean limitBytes;
    private long messages;
    private long bytes;

    ConsumeCredit(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void grant(Long moreMessages, Long moreBytes) {
        granted = true;
        if (moreMessages != null) {
            limitMessages = true;
            messages = saturatedAdd(messages, moreMessages);
        }
        if (moreBytes != null) {
            limitBytes = true;
            bytes = saturatedAdd(bytes, moreBytes);
        }
    }

    long messages() {
        return !enabled ? Long.MAX_VALUE : !granted ? 0 : limitMessages ? messages : Long.MAX_VALUE;
    }

    long bytes() {
        return !enabled ? Long.MAX_VALUE : !granted ? 0 : limitBytes ? bytes : Long.MAX_VALUE;
    }

    void consume(int records, long payloadBytes) {
        if (limitMessages) {
            messages -= records;
        }
        if (limitBytes) {
            bytes -= payloadBytes;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
