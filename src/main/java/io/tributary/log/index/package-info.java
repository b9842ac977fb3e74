/**
 * Sparse indexes over one log segment: offset to byte position, and timestamp to offset. Both are
 * held in memory and persisted as flat files of fixed-size entries; both can always be rebuilt
 * from the segment, so they are flushed at segment roll and close only, and a missing or
 * corrupt file means "rebuild", never "fail".
 */
package io.tributary.log.index;
