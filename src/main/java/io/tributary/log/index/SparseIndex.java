package io.tributary.log.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The common core of {@link OffsetIndex} and {@link TimeIndex}: an ordered list of
 * {@code (key, value)} entries, where keys strictly increase, held in memory and persisted as a flat
 * file of fixed-size big-endian entries.
 *
 * <p>Entries are published as immutable snapshots ({@code keys}, {@code values}, {@code size}):
 * an append writes past the published size and then publishes a new snapshot sharing the arrays;
 * a truncation copies the arrays first, so a reader holding an older snapshot still sees the
 * entries it was given. Thread safety: reads thread-safe, single writer (the segment's owner).
 *
 * <p>Entries reach the file only on {@link #flush()}. The file is never trusted blindly: a length
 * that is not a whole number of entries, or keys that do not increase, is a
 * {@link CorruptIndexException}, and the owner rebuilds the index from the segment.
 */
abstract class SparseIndex {

    private static final int INITIAL_CAPACITY = 64;

    private record Snapshot(long[] keys, long[] values, int size) {
    }

    private final int entrySize;
    private final long minKey;
    private volatile Path file;
    private volatile Snapshot snapshot = new Snapshot(new long[INITIAL_CAPACITY], new long[INITIAL_CAPACITY], 0);
    private int flushedEntries;

    SparseIndex(Path file, int entrySize, long minKey) {
        this.file = file;
        this.entrySize = entrySize;
        this.minKey = minKey;
    }

    /** Writes one entry's bytes. */
    abstract void writeEntry(ByteBuffer buffer, long key, long value);

    /** Reads one entry's bytes into {@code out[0]} (key) and {@code out[1]} (value). */
    abstract void readEntry(ByteBuffer buffer, long[] out);

    /** Replaces the in-memory entries with the file's; a missing file means no entries. */
    final void loadFromFile() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptIndexException("Index file " + file + " is missing");
        }
        if (bytes.length % entrySize != 0) {
            throw new CorruptIndexException("Index file " + file + " has " + bytes.length
                    + " bytes, not a multiple of the entry size " + entrySize);
        }
        int count = bytes.length / entrySize;
        long[] keys = new long[Math.max(INITIAL_CAPACITY, count)];
        long[] values = new long[keys.length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] entry = new long[2];
        for (int i = 0; i < count; i++) {
            readEntry(buffer, entry);
            if (entry[0] < minKey || entry[1] < 0
                    || (i > 0 && (entry[0] <= keys[i - 1] || entry[1] < values[i - 1]))) {
                throw new CorruptIndexException("Index file " + file + " is out of order at entry " + i);
            }
            keys[i] = entry[0];
            values[i] = entry[1];
        }
        snapshot = new Snapshot(keys, values, count);
        flushedEntries = count;
    }

    final int entries() {
        return snapshot.size();
    }

    /** The last entry's key, or {@code missing} when empty. */
    final long lastKey(long missing) {
        Snapshot s = snapshot;
        return s.size() == 0 ? missing : s.keys()[s.size() - 1];
    }

    /** The last entry's value, or {@code missing} when empty. */
    final long lastValue(long missing) {
        Snapshot s = snapshot;
        return s.size() == 0 ? missing : s.values()[s.size() - 1];
    }

    final void appendEntry(long key, long value) {
        Snapshot s = snapshot;
        int n = s.size();
        if (n > 0 && key <= s.keys()[n - 1]) {
            throw new IllegalArgumentException("Index key " + key + " is not after the last key " + s.keys()[n - 1]);
        }
        long[] keys = s.keys();
        long[] values = s.values();
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        keys[n] = key;
        values[n] = value;
        snapshot = new Snapshot(keys, values, n + 1);
    }

    /**
     * The index of the last entry whose key is at most {@code target}, or -1 when every key is
     * larger (or there are none), together with the snapshot it refers to.
     */
    final long[] floorEntry(long target) {
        Snapshot s = snapshot;
        int lo = 0;
        int hi = s.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s.keys()[mid] <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? null : new long[] {s.keys()[found], s.values()[found]};
    }

    /** Removes every entry whose key is at least {@code key}. */
    final void truncateFromKey(long key) throws IOException {
        Snapshot s = snapshot;
        int keep = 0;
        while (keep < s.size() && s.keys()[keep] < key) {
            keep++;
        }
        truncateToEntries(keep);
    }

    /** Removes every entry whose value is at least {@code value}. */
    final void truncateFromValue(long value) throws IOException {
        Snapshot s = snapshot;
        int keep = 0;
        while (keep < s.size() && s.values()[keep] < value) {
            keep++;
        }
        truncateToEntries(keep);
    }

    private void truncateToEntries(int keep) throws IOException {
        Snapshot s = snapshot;
        if (keep >= s.size()) {
            return;
        }
        int capacity = Math.max(INITIAL_CAPACITY, keep * 2);
        snapshot = new Snapshot(Arrays.copyOf(s.keys(), capacity), Arrays.copyOf(s.values(), capacity), keep);
        if (flushedEntries > keep) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                channel.truncate((long) keep * entrySize);
            }
            flushedEntries = keep;
        }
    }

    /** Writes entries not yet in the file and forces the file to the device. */
    final void flush() throws IOException {
        Snapshot s = snapshot;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            if (channel.size() != (long) flushedEntries * entrySize) {
                flushedEntries = 0;
                channel.truncate(0);
            }
            int pending = s.size() - flushedEntries;
            if (pending > 0) {
                ByteBuffer buffer = ByteBuffer.allocate(pending * entrySize);
                for (int i = flushedEntries; i < s.size(); i++) {
                    writeEntry(buffer, s.keys()[i], s.values()[i]);
                }
                buffer.flip();
                long position = (long) flushedEntries * entrySize;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            }
            channel.force(true);
            flushedEntries = s.size();
        }
    }

    /** Drops every entry in memory and deletes the file. */
    final void reset() throws IOException {
        snapshot = new Snapshot(new long[INITIAL_CAPACITY], new long[INITIAL_CAPACITY], 0);
        flushedEntries = 0;
        Files.deleteIfExists(file);
    }

    final Path file() {
        return file;
    }

    final void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    final void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }
}
