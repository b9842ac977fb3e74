package io.tributary.api.ws;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes text frames to a WebSocket in order, one group at a time (a group's frames back to back),
 * each group with a future that completes when its frames have been written to the connection
 * (not merely queued). That completion is the
 * consume stream's backpressure: the next chunk is read only after it. A close goes after the
 * frames queued before it; nothing is written after a close.
 *
 * <p>Frames are copied into the connection's pooled buffers, so the caller may reuse its array at
 * once. Thread safety: thread-safe.
 */
final class Outbox {

    private record Entry(List<DataBuffer> payloads, CloseStatus close, CompletableFuture<Void> done) {
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

    /** A text frame of {@code bytes[0, length)} (UTF-8 JSON), copied into a pooled buffer, for {@link #send(List)}. */
    DataBuffer frame(byte[] bytes, int length) {
        DataBuffer payload = ws.bufferFactory().allocateBuffer(length);
        payload.write(bytes, 0, length);
        return payload;
    }

    /** Queues text frames, written back to back; the future completes when the last one is written. */
    CompletableFuture<Void> send(List<DataBuffer> frames) {
        return enqueue(new Entry(List.copyOf(frames), null, new CompletableFuture<>()));
    }

    CompletableFuture<Void> send(byte[] bytes) {
        return enqueue(new Entry(List.of(ws.bufferFactory().wrap(bytes)), null, new CompletableFuture<>()));
    }

    /** Closes with {@code status} after the frames already queued. */
    CompletableFuture<Void> close(CloseStatus status) {
        closeRequested = true;
        return enqueue(new Entry(List.of(), status, new CompletableFuture<>()));
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
                entry.payloads().forEach(DataBufferUtils::release);
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
        ws.send(Flux.fromIterable(entry.payloads())
                        .map(payload -> new WebSocketMessage(WebSocketMessage.Type.TEXT, payload)))
                .subscribe(null, error -> fail(entry, error), () -> {
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
        failed.payloads().forEach(DataBufferUtils::release); // the frames not written yet (written ones are gone)
        failed.done().completeExceptionally(error);
        Entry[] rest;
        synchronized (this) {
            closing = true;
            rest = queue.toArray(Entry[]::new);
            queue.clear();
        }
        for (Entry entry : rest) {
            entry.payloads().forEach(DataBufferUtils::release);
            entry.done().completeExceptionally(error);
        }
        closed.complete(null);
    }
}
