package io.tributary.service;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses a partition for a record. A key goes where Kafka's default partitioner would put it:
 * {@code toPositive(murmur2(keyBytes)) % partitions}, so producers on Kafka clients and on
 * Tributary agree. Records without a key are spread evenly, round robin.
 * Thread safety: thread-safe.
 */
public final class Partitioner {

    private final AtomicInteger roundRobin = new AtomicInteger();

    /** The partition for a key, exactly as Kafka's {@code BuiltInPartitioner.partitionForKey}. */
    public static int partitionForKey(byte[] key, int partitions) {
        return (murmur2(key) & 0x7fffffff) % partitions;
    }

    /** The next partition for a record without a key. */
    public int nextUnkeyed(int partitions) {
        return (roundRobin.getAndIncrement() & 0x7fffffff) % partitions;
    }

    /** MurmurHash2, 32-bit, seed {@code 0x9747b28c}: the variant Kafka uses for keys. */
    public static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
