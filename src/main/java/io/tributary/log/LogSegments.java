package io.tributary.log;

import io.tributary.log.segment.LogSegment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log, by base offset. The last one is the active segment, the only one that
 * takes appends. Thread safety: thread-safe (a concurrent map); structural changes come from the
 * log's writer, readers take a segment and read it.
 */
final class LogSegments {

    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    /** Replaces whichever segment has the same base offset. */
    void replace(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    LogSegment active() {
        return segments.lastEntry().getValue();
    }

    LogSegment first() {
        return segments.firstEntry().getValue();
    }

    /** The segment that would hold {@code offset}: the last one based at or below it, else the first. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        return e == null ? first() : e.getValue();
    }

    /** The segment after {@code segment}, or null. */
    LogSegment higher(LogSegment segment) {
        Map.Entry<Long, LogSegment> e = segments.higherEntry(segment.baseOffset());
        return e == null ? null : e.getValue();
    }

    boolean contains(LogSegment segment) {
        return segments.get(segment.baseOffset()) == segment;
    }

    /** Segments whose base offset is at least {@code from}, in order. */
    List<LogSegment> from(long from) {
        return new ArrayList<>(segments.tailMap(from, true).values());
    }

    /** All segments, oldest first, as a snapshot. */
    List<LogSegment> all() {
        return new ArrayList<>(segments.values());
    }

    Collection<LogSegment> view() {
        return segments.values();
    }

    int size() {
        return segments.size();
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }
}
