package io.tributary.api.ws;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Writes text frames to a WebSocket one at a time, in order, each with a future that completes
 * when the frame has been written to the connection (not merely queued). That completion is the
 * consume stream's backpressure: the next chunk is read only after it. A close goes after the
 * frames queued before it; nothing is written after a close.
 *
 * <p>Frames are copied into the connection's pooled buffers, so the caller may reuse its array at
 * once. Thread safety: thread-safe.
 */
final class Outbox {

    private record Entry(DataBuffer payload, CloseStatus close, CompletableFuture<Void> done) {
    }

    private final WebSocketSession ws;
    private final Deque<Entry> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean busy;
    private boolean closing;
    private volatile boolean closeRequested;

    Outbox(WebSocketSession ws) {
        this.ws = ws;
    }

    /** Queues a text frame of {@code bytes[0, length)} (UTF-8 JSON), copied into a pooled buffer. */
    CompletableFuture<Void> send(byte[] bytes, int length) {
        DataBuffer payload = ws.bufferFactory().allocateBuffer(length);
        payload.write(bytes, 0, length);
        return enqueue(new Entry(payload, null, new CompletableFuture<>()));
    }

    CompletableFuture<Void> send(byte[] bytes) {
        return enqueue(new Entry(ws.bufferFactory().wrap(bytes), null, new CompletableFuture<>()));
    }

    /** Closes with {@code status} after the frames already queued. */
    CompletableFuture<Void> close(CloseStatus status) {
        closeRequested = true;
        return enqueue(new Entry(null, status, new CompletableFuture<>()));
    }

    /** Whether this side asked for a close (as opposed to the connection failing under it). */
    boolean closeRequested() {
        return closeRequested;
    }

    /** Completes once the connection was closed by {@link #close(CloseStatus)} or failed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    private CompletableFuture<Void> enqueue(Entry entry) {
        synchronized (this) {
            if (closing) {
                DataBufferUtils.release(entry.payload());
                entry.done().completeExceptionally(new IllegalStateException("The WebSocket is closing"));
                return entry.done();
            }
            closing = entry.close() != null;
            queue.add(entry);
        }
        next();
        return entry.done();
    }

    private void next() {
        Entry entry;
        synchronized (this) {
            if (busy || queue.isEmpty()) {
                return;
            }
            busy = true;
            entry = queue.poll();
        }
        if (entry.close() != null) {
            ws.close(entry.close()).subscribe(null, error -> finishClose(entry), () -> finishClose(entry));
            return;
        }
        WebSocketMessage message = new WebSocketMessage(WebSocketMessage.Type.TEXT, entry.payload());
        ws.send(Mono.just(message)).subscribe(null, error -> fail(entry, error), () -> {
            synchronized (this) {
                busy = false;
            }
            entry.done().complete(null);
            next();
        });
    }

    private void finishClose(Entry entry) {
        entry.done().complete(null);
        closed.complete(null);
    }

    private void fail(Entry failed, Throwable error) {
        failed.done().completeExceptionally(error);
        Entry[] rest;
        synchronized (this) {
            closing = true;
            rest = queue.toArray(Entry[]::new);
            queue.clear();
        }
        for (Entry entry : rest) {
            DataBufferUtils.release(entry.payload());
            entry.done().completeExceptionally(error);
        }
        closed.complete(null);
    }
}
