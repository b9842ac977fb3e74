package io.tributary.api.sse;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The id of an event: the next offset of every partition of the topic once the event is
 * consumed, {@code <partition>:<offset>} joined by commas in partition order, e.g.
 * {@code 0:42,1:17,2:0}. Stateless.
 */
final class EventId {

    private static final int MAX_LENGTH = 64 * 1024;

    private EventId() {
    }

    /**
     * The positions an id names, partition to next offset.
     *
     * @throws TributaryException INVALID_REQUEST when the id is not in the format above, names a
     *                            partition twice, or one the topic does not have
     */
    static Map<Integer, Long> parse(String id, int partitions) {
        if (id.length() > MAX_LENGTH) {
            throw bad(id, "it is too long");
        }
        Map<Integer, Long> positions = new TreeMap<>();
        for (String part : id.trim().split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw bad(id, "'" + part + "' is not <partition>:<offset>");
            }
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(part.substring(0, colon).trim());
                offset = Long.parseLong(part.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw bad(id, "'" + part + "' is not <partition>:<offset>");
            }
            if (partition < 0 || partition >= partitions) {
                throw bad(id, "the topic has no partition " + partition);
            }
            if (offset < 0) {
                throw bad(id, "offsets cannot be negative");
            }
            if (positions.put(partition, offset) != null) {
                throw bad(id, "partition " + partition + " appears twice");
            }
        }
        return positions;
    }

    private static TributaryException bad(String id, String why) {
        String shown = id.length() > 100 ? id.substring(0, 100) + "..." : id;
        return new TributaryException(ErrorCode.INVALID_REQUEST, "Last-Event-ID '" + shown + "' is not valid: " + why
                + " (expected <partition>:<offset> pairs joined by commas, as the stream's ids are)");
    }
}
