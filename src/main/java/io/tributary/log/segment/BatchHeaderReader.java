package io.tributary.log.segment;

import io.tributary.log.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks batch headers in a segment file through a small read-ahead buffer, so a scan over many
 * small batches costs a few reads rather than one per batch. Not thread-safe: one per scan.
 */
final class BatchHeaderReader {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private long bufferStart = -1;
    private int bufferBytes;

    BatchHeaderReader(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * The header at {@code position}, or null when fewer than a whole header's bytes lie before
     * {@code limit}.
     */
    BatchHeader headerAt(int position, int limit) throws IOException {
        if (limit - position < RecordBatch.RECORD_BATCH_OVERHEAD) {
            return null;
        }
        if (bufferStart < 0 || position < bufferStart
                || position + RecordBatch.RECORD_BATCH_OVERHEAD > bufferStart + bufferBytes) {
            fill(position, limit);
            if (bufferBytes < RecordBatch.RECORD_BATCH_OVERHEAD) {
                return null;
            }
        }
        return BatchHeader.parse(buffer, (int) (position - bufferStart), position);
    }

    private void fill(int position, int limit) throws IOException {
        buffer.clear();
        buffer.limit(Math.min(BUFFER_BYTES, limit - position));
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        bufferStart = position;
        bufferBytes = buffer.position();
    }
}
