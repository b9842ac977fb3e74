package io.tributary.log;

import io.tributary.log.checkpoint.LeaderEpochCheckpointFile;
import io.tributary.log.checkpoint.LeaderEpochCheckpointFile.Entry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which leader epoch wrote which part of a partition log: a list of (epoch, start offset), the
 * start offset being the first record that epoch appended. A follower asks its new leader where
 * its own latest epoch ends and truncates there (leader-epoch truncation), so a log that diverged
 * under an old leader is cut exactly where it diverged.
 *
 * <p>Invariants: entries are strictly increasing in epoch and in start offset; every start offset
 * is below the log end (the owner truncates the cache with the log). A batch without an epoch
 * ({@code -1}) adds nothing; an epoch at or below the latest adds nothing.
 *
 * <p>Persistence: each change rewrites the {@link LeaderEpochCheckpointFile} (atomic; changes are
 * rare: once per epoch). A cache made with {@link #inMemory()} keeps nothing on disk.
 *
 * <p>Thread safety: thread-safe (guarded by {@code this}); the log calls the mutators under its
 * write lock.
 */
public final class LeaderEpochCache {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final LeaderEpochCheckpointFile file;
    private final List<Entry> entries;

    private LeaderEpochCache(LeaderEpochCheckpointFile file, List<Entry> entries) {
        this.file = file;
        this.entries = new ArrayList<>(entries);
    }

    /** A cache that lives in memory only. */
    public static LeaderEpochCache inMemory() {
        return new LeaderEpochCache(null, List.of());
    }

    /** An empty cache that will persist to {@code file}. */
    public static LeaderEpochCache empty(LeaderEpochCheckpointFile file) {
        return new LeaderEpochCache(file, List.of());
    }

    /** Loads the cache of the partition in {@code dir}; entries out of order are dropped from the first one. */
    public static LeaderEpochCache load(LeaderEpochCheckpointFile file) throws IOException {
        List<Entry> read = file.read();
        List<Entry> valid = new ArrayList<>();
        for (Entry e : read) {
            Entry last = valid.isEmpty() ? null : valid.get(valid.size() - 1);
            if (e.epoch() < 0 || e.startOffset() < 0
                    || last != null && (e.epoch() <= last.epoch() || e.startOffset() <= last.startOffset())) {
                LOG.warn("Leader epoch checkpoint {} is out of order at {}; dropping it and later entries", file.file(), e);
                break;
            }
            valid.add(e);
        }
        return new LeaderEpochCache(file, valid);
    }

    /** Records that {@code epoch} starts at {@code startOffset}, if it is newer than the latest epoch. */
    public synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return;
        }
        Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        if (last != null && (epoch <= last.epoch() || startOffset < last.startOffset())) {
            return;
        }
        if (last != null && startOffset == last.startOffset()) {
            entries.remove(entries.size() - 1);
        }
        entries.add(new Entry(epoch, startOffset));
        persist();
    }

    /** The newest epoch in the log, or -1 when none is known. */
    public synchronized int latestEpoch() {
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).epoch();
    }

    /**
     * Where {@code epoch} ends: the largest known epoch at or below it, and the start of the epoch
     * after that one (or {@code logEndOffset} if it is the latest).
     */
    public synchronized EpochEndOffset endOffsetFor(int epoch, long logEndOffset) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.epoch() <= epoch) {
                long end = i == entries.size() - 1 ? logEndOffset : entries.get(i + 1).startOffset();
                return new EpochEndOffset(e.epoch(), end);
            }
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** Forgets every epoch that starts at or after {@code endOffset} (the log was truncated there). */
    public synchronized void truncateFromEnd(long endOffset) {
        if (entries.removeIf(e -> e.startOffset() >= endOffset)) {
            persist();
        }
    }

    /** Forgets every epoch (the log was emptied). */
    public synchronized void clear() {
        if (!entries.isEmpty()) {
            entries.clear();
            persist();
        }
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    private void persist() {
        if (file == null) {
            return;
        }
        try {
            file.write(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
