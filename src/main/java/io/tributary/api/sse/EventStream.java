package io.tributary.api.sse;

import io.tributary.api.codec.JsonByteWriter;
import io.tributary.api.codec.RecordJsonWriter;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.service.ConsumeSession;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import reactor.core.publisher.FluxSink;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a session's chunks into {@code text/event-stream} bytes: one event per record,
 * <pre>
 * id: 0:42,1:17,2:0
 * data: {"topic":"orders","partition":0,"offset":41,...}
 * </pre>
 * the id holding every partition's next offset after the record ({@link EventId}). A record's JSON
 * is one line: line breaks can only be whitespace between JSON tokens (inside strings they are
 * escaped), so they are written as spaces. A failure ends the stream with an {@code error} event
 * ({@code {"code","retriable","detail"}}); a position moved because retention removed the records
 * gets a non-fatal {@code error} event with {@code resetTo}. Comment lines keep an idle stream alive.
 *
 * <p>Backpressure: a chunk goes out only when the response has asked for more; until then the
 * session waits, so at most one chunk waits here. Thread safety: thread-safe.
 */
final class EventStream implements ConsumeSession.Sink {

    private static final byte[] OPENED = ": subscribed\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final FluxSink<DataBuffer> sink;
    private final DataBufferFactory buffers;
    private final RecordJsonWriter records;
    private final long[] positions;
    private final JsonByteWriter out = new JsonByteWriter(16 * 1024);
    private DataBuffer pending;
    private CompletableFuture<Void> pendingWritten;
    private boolean wroteSinceHeartbeat;

    EventStream(FluxSink<DataBuffer> sink, DataBufferFactory buffers, RecordJsonWriter records, long[] positions) {
        this.sink = sink;
        this.buffers = buffers;
        this.records = records;
        this.positions = positions.clone();
        emit(OPENED);
    }

    @Override
    public synchronized CompletionStage<?> deliver(ConsumeSession.Chunk chunk) {
        out.reset();
        for (ConsumeSession.PartitionRecords partition : chunk.partitions()) {
            TopicPartition tp = partition.topicPartition();
            int last = partition.records().size() - 1;
            for (int i = 0; i <= last; i++) {
                Record record = partition.records().get(i);
                positions[tp.partition()] = i == last ? partition.nextOffset() : record.offset() + 1;
                writeId();
                out.ascii("data: ");
                int start = out.size();
                records.write(out, tp, record);
                out.replace(start, (byte) '\n', (byte) ' ');
                out.replace(start, (byte) '\r', (byte) ' ');
                out.ascii("\n\n");
            }
        }
        DataBuffer buffer = buffers.wrap(out.toByteArray());
        out.trim(64 * 1024);
        if (sink.requestedFromDownstream() > 0) {
            next(buffer);
            return CompletableFuture.completedFuture(null);
        }
        pending = buffer;
        pendingWritten = new CompletableFuture<>();
        return pendingWritten;
    }

    private void writeId() {
        out.ascii("id: ");
        for (int p = 0; p < positions.length; p++) {
            if (p > 0) {
                out.raw((byte) ',');
            }
            out.number(p).raw((byte) ':').number(positions[p]);
        }
        out.raw((byte) '\n');
    }

    /** The response asked for more: release the chunk waiting, if any. */
    void onRequest() {
        CompletableFuture<Void> written;
        synchronized (this) {
            if (pending == null || sink.requestedFromDownstream() == 0) {
                return;
            }
            next(pending);
            pending = null;
            written = pendingWritten;
            pendingWritten = null;
        }
        written.complete(null);
    }

    /** A heartbeat tick: a comment line if nothing was written since the last tick. */
    synchronized void heartbeat() {
        if (!wroteSinceHeartbeat && pending == null && sink.requestedFromDownstream() > 0) {
            emit(HEARTBEAT);
        }
        wroteSinceHeartbeat = false;
    }

    @Override
    public synchronized void failed(TributaryException error) {
        emit(errorEvent(error, true, null));
        sink.complete();
    }

    @Override
    public synchronized void positionReset(TopicPartition tp, long resetTo, OffsetOutOfRangeException cause) {
        positions[tp.partition()] = resetTo;
        emit(errorEvent(cause, false, resetTo));
    }

    private byte[] errorEvent(TributaryException error, boolean fatal, Long resetTo) {
        JsonByteWriter event = new JsonByteWriter(256);
        event.ascii("event: error\ndata: {\"code\":").string(error.code().name())
                .ascii(",\"retriable\":").ascii(Boolean.toString(error.code().retriable()))
                .ascii(",\"fatal\":").ascii(Boolean.toString(fatal))
                .ascii(",\"detail\":").string(error.getMessage());
        if (resetTo != null) {
            event.ascii(",\"resetTo\":").number(resetTo);
        }
        return event.ascii("}\n\n").toByteArray();
    }

    private void emit(byte[] bytes) {
        next(buffers.wrap(bytes));
    }

    private void next(DataBuffer buffer) {
        wroteSinceHeartbeat = true;
        sink.next(buffer);
    }
}
