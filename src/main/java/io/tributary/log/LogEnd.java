package io.tributary.log;

import io.tributary.log.segment.LogSegment;

/**
 * The published end of a log: the next offset, and where it falls (segment and byte position).
 * The writer replaces it after every append; a reader takes one and reads nothing past it.
 */
record LogEnd(long offset, LogSegment segment, int position) {
}
