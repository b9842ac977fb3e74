package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.replication.Partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A stream of committed records from a changing set of partitions to one consumer, written out by
 * a {@link Sink} (a WebSocket, an SSE response). The session holds, per assigned partition, the
 * next offset to deliver; {@link #assign} and {@link #revoke} change the set while it runs (a plain
 * subscription assigns once; a consumer-group member follows its rebalances).
 *
 * <p><b>Delivery loop.</b> One cycle at a time: read whole batches from the partitions that are
 * neither paused nor out of credit, round robin, up to {@link Options#maxChunkBytes} (at least one
 * batch), on the {@code reader} executor (file reads never run on a network thread); hand the
 * records to the sink as one {@link Chunk}; start the next cycle only when the sink says the chunk
 * was written. So at most one chunk is in flight and a slow consumer stops the reads instead of
 * filling memory. A cycle that finds nothing registers on each idle partition's wake-up future (locally
 * {@link Partition#nextHighWatermarkAdvance()}, taken before the read, so no advance is missed;
 * remotely the leader's long-polled answer) and stops: the next commit wakes it. No polling loop.
 *
 * <p><b>Invariants.</b> Records at or above the high watermark are never delivered. A partition's
 * records are delivered in offset order, each once, from its position. A chunk carries records of
 * a partition only if, when the chunk is handed to the sink, the partition is still assigned, not
 * paused, and not moved by {@link #seek} since it was read. {@link #revoke} completes once no
 * chunk holding the revoked partitions can be written any more.
 *
 * <p><b>Credit</b> (when {@link Options#creditMode()}): nothing is delivered until the first grant;
 * {@link #addCredit} adds messages and/or bytes, and a dimension that was never granted is
 * unlimited. A chunk never holds more records, or more key-plus-value bytes, than the credit left.
 *
 * <p><b>Consumer groups.</b> A group member is a session whose assignment follows the group: on a
 * rebalance it calls {@link #revoke} for the partitions it loses and reports them released only
 * when the future completes (so a partition is never delivered by two members at once), then
 * {@link #assign}s what it gains at the committed offsets; a {@link DeliveryListener} sees the
 * positions written, for auto-commit. A plain subscription is the same session assigned once.
 *
 * <p><b>Leaders.</b> Each partition is read from its leader through {@link PartitionSources}: the
 * local replica while this broker leads it, otherwise the leader's broker over the replication
 * channel. When the leadership moves (an election, a controlled shutdown, a broker lost) the
 * partition answers idle until the new leader is known, then continues from its position there,
 * so a stream on any broker follows the change without losing or repeating records. Only errors
 * that cannot pass (the topic was deleted, I/O) end the session.
 *
 * <p>Thread safety: thread-safe. State is guarded by the session's lock; the sink is called by one
 * thread at a time and never while the lock is held.
 */
public final class ConsumeSession implements AutoCloseable {

    /** Where the session's records go. */
    public interface Sink {
        /**
         * Writes one chunk. The session does not call again until the returned stage completes; a
         * failed stage (the consumer went away) closes the session.
         */
        CompletionStage<?> deliver(Chunk chunk);

        /** The session stopped on an error it cannot get past (leadership lost, topic deleted, I/O). Called once. */
        void failed(TributaryException error);

        /**
         * A position fell outside the log (retention removed the records, or the log was truncated);
         * the partition continues from {@code resetTo}.
         */
        default void positionReset(TopicPartition tp, long resetTo, OffsetOutOfRangeException cause) {
        }
    }

    /** Told after each chunk is written: the next offset of every partition in it (for auto-commit). */
    @FunctionalInterface
    public interface DeliveryListener {
        DeliveryListener NONE = positions -> { };

        void delivered(Map<TopicPartition, Long> nextOffsets);
    }

    /** The records of one partition in a chunk, in offset order; {@code nextOffset} follows the last. */
    public record PartitionRecords(TopicPartition topicPartition, List<Record> records, long nextOffset) {
    }

    /** What one cycle delivers. {@code payloadBytes} counts keys and values. */
    public record Chunk(List<PartitionRecords> partitions, int recordCount, long payloadBytes) {
    }

    /**
     * @param maxChunkBytes   log bytes read per cycle, over all partitions (at least one batch)
     * @param maxChunkRecords records per chunk
     * @param creditMode      whether the consumer paces delivery with {@link #addCredit}
     */
    public record Options(int maxChunkBytes, int maxChunkRecords, boolean creditMode) {
    }

    /** Counters, for monitoring and tests. */
    public record Stats(long chunksDelivered, long recordsDelivered, int chunksInFlight, int maxChunksInFlight,
                        long maxChunkReadBytes) {
    }

    private enum Phase { IDLE, READING, SENDING, CLOSED }

    /** One assigned partition. Guarded by the session lock. */
    private static final class Slot {
        final TopicPartition tp;
        long position;
        long epoch;
        boolean paused;
        CompletableFuture<Void> watched;

        Slot(TopicPartition tp, long position) {
            this.tp = tp;
            this.position = position;
        }
    }

    private record Claim(Slot slot, long position, long epoch) {
    }

    private final PartitionSources sources;
    private final Executor reader;
    private final Sink sink;
    private final Options options;
    private final DeliveryListener listener;
    private final Consumer<ConsumeSession> onClose;
    private final Object lock = new Object();
    private final ConsumeCredit credit;

    private final Map<TopicPartition, Slot> slots = new LinkedHashMap<>();
    private Phase phase = Phase.IDLE;
    private boolean wakeRequested;
    private int roundRobin;
    private Set<TopicPartition> inFlight = Set.of();
    private List<CompletableFuture<Void>> afterInFlight = new ArrayList<>();
    private long chunksDelivered;
    private long recordsDelivered;
    private int chunksInFlight;
    private int maxChunksInFlight;
    private long maxChunkReadBytes;

    /**
     * @param sources where each partition is read: its leader, here or on another broker
     */
    ConsumeSession(PartitionSources sources, Executor reader, Sink sink, Options options,
                   DeliveryListener listener, Consumer<ConsumeSession> onClose) {
        this.sources = sources;
        this.reader = reader;
        this.sink = sink;
        this.options = options;
        this.listener = listener;
        this.onClose = onClose;
        this.credit = new ConsumeCredit(options.creditMode());
    }

    /** Adds partitions (or moves existing ones) at the given next offsets, and starts delivering. */
    public void assign(Map<TopicPartition, Long> positions) {
        synchronized (lock) {
            positions.forEach((tp, offset) -> {
                Slot slot = slots.computeIfAbsent(tp, key -> new Slot(key, offset));
                slot.position = offset;
                slot.epoch++;
            });
        }
        wake();
    }

    /**
     * Stops delivering {@code partitions}. The future completes once no chunk holding any of them
     * can be written any more: at once, or when the chunk in flight has been written.
     */
    public CompletableFuture<Void> revoke(Set<TopicPartition> partitions) {
        synchronized (lock) {
            slots.keySet().removeAll(partitions);
            sources.forget(partitions);
            if (phase == Phase.SENDING && partitions.stream().anyMatch(inFlight::contains)) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                afterInFlight.add(done);
                return done;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Moves an assigned partition to {@code offset} (the caller checked the range). */
    public void seek(TopicPartition tp, long offset) {
        synchronized (lock) {
            Slot slot = requireSlotLocked(tp);
            slot.position = offset;
            slot.epoch++;
        }
        wake();
    }

    /** Pauses the given assigned partitions; an empty set pauses all of them. */
    public void pause(Collection<TopicPartition> partitions) {
        setPaused(partitions, true);
    }

    /** Resumes the given partitions; an empty set resumes all of them. */
    public void resume(Collection<TopicPartition> partitions) {
        setPaused(partitions, false);
        wake();
    }

    private void setPaused(Collection<TopicPartition> partitions, boolean paused) {
        synchronized (lock) {
            if (partitions.isEmpty()) {
                slots.values().forEach(slot -> slot.paused = paused);
            } else {
                partitions.forEach(tp -> requireSlotLocked(tp));
                partitions.forEach(tp -> slots.get(tp).paused = paused);
            }
        }
    }

    /** Grants credit (credit mode): {@code messages} and/or {@code bytes}, each null when not granted. */
    public void addCredit(Long messages, Long bytes) {
        synchronized (lock) {
            if (!credit.enabled()) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "Credit frames need flow=credit");
            }
            credit.grant(messages, bytes);
        }
        wake();
    }

    private Slot requireSlotLocked(TopicPartition tp) {
        Slot slot = slots.get(tp);
        if (slot == null) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, tp + " is not assigned to this consumer");
        }
        return slot;
    }

    /** The assigned partitions and their next offsets. */
    public Map<TopicPartition, Long> positions() {
        synchronized (lock) {
            Map<TopicPartition, Long> positions = new LinkedHashMap<>();
            slots.forEach((tp, slot) -> positions.put(tp, slot.position));
            return positions;
        }
    }

    public boolean isAssigned(TopicPartition tp) {
        synchronized (lock) {
            return slots.containsKey(tp);
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(chunksDelivered, recordsDelivered, chunksInFlight, maxChunksInFlight, maxChunkReadBytes);
        }
    }

    /** Starts a cycle now, or right after the one running. */
    private void wake() {
        synchronized (lock) {
            if (phase == Phase.IDLE) {
                startCycleLocked();
            } else if (phase != Phase.CLOSED) {
                wakeRequested = true;
            }
        }
    }

    private void startCycleLocked() {
        phase = Phase.READING;
        try {
            reader.execute(this::cycle);
        } catch (RejectedExecutionException e) {
            phase = Phase.IDLE;
            CompletableFuture.runAsync(() -> fail(new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE,
                    "The broker is shutting down")));
        }
    }

    private void cycle() {
        List<Claim> claims;
        long messageBudget;
        long byteBudget;
        synchronized (lock) {
            if (phase == Phase.CLOSED) {
                return;
            }
            wakeRequested = false;
            claims = claimsLocked();
            messageBudget = Math.min(options.maxChunkRecords(), credit.messages());
            byteBudget = credit.bytes();
            if (claims.isEmpty() || messageBudget <= 0 || byteBudget <= 0) {
                phase = Phase.IDLE;
                return;
            }
        }
        ChunkReader.Result read;
        try {
            read = new ChunkReader(sources, options.maxChunkBytes()).read(claims.stream()
                    .map(c -> new ChunkReader.Claim(c.slot().tp, c.position())).toList(), messageBudget, byteBudget);
        } catch (TributaryException e) {
            fail(e);
            return;
        } catch (RuntimeException e) {
            fail(new TributaryException(ErrorCode.UNKNOWN_SERVER_ERROR, "Reading records failed: " + e, e));
            return;
        }
        Chunk chunk = commit(claims, read);
        read.resets().forEach(r -> sink.positionReset(r.tp(), r.resetTo(), r.cause()));
        if (chunk == null) {
            return;
        }
        CompletionStage<?> written;
        try {
            written = sink.deliver(chunk);
        } catch (RuntimeException e) {
            afterDelivery(chunk, e);
            return;
        }
        written.whenComplete((ok, error) -> afterDelivery(chunk, error));
    }

    /** Round robin over the partitions that may be read now. */
    private List<Claim> claimsLocked() {
        List<Slot> all = new ArrayList<>(slots.values());
        List<Claim> claims = new ArrayList<>(all.size());
        int n = all.size();
        for (int i = 0; i < n; i++) {
            Slot slot = all.get((roundRobin + i) % n);
            if (!slot.paused) {
                claims.add(new Claim(slot, slot.position, slot.epoch));
            }
        }
        roundRobin = n == 0 ? 0 : (roundRobin + 1) % n;
        return claims;
    }

    /**
     * Applies what was read, dropping partitions that changed meanwhile; returns the chunk to send
     * or null (then the session idles or cycles again).
     */
    private Chunk commit(List<Claim> claims, ChunkReader.Result read) {
        synchronized (lock) {
            if (phase == Phase.CLOSED) {
                return null;
            }
            boolean progress = !read.resets().isEmpty();
            List<PartitionRecords> kept = new ArrayList<>();
            int records = 0;
            long bytes = 0;
            for (int i = 0; i < claims.size(); i++) {
                Claim claim = claims.get(i);
                ChunkReader.PartitionRead r = read.partitions().get(i);
                Slot slot = slots.get(claim.slot().tp);
                boolean current = slot == claim.slot() && slot.epoch == claim.epoch() && !slot.paused;
                if (r == null) {
                    continue; // not reached this cycle (budget or credit spent)
                }
                if (!current) {
                    progress = true;
                } else if (r.resetTo() >= 0) {
                    slot.position = r.resetTo();
                } else if (r.idleUntil() != null) {
                    watchLocked(slot, r.idleUntil());
                } else if (r.nextOffset() > slot.position) {
                    slot.position = r.nextOffset();
                    progress = true;
                    if (!r.records().isEmpty()) {
                        kept.add(new PartitionRecords(slot.tp, r.records(), r.nextOffset()));
                        records += r.records().size();
                        bytes += r.payloadBytes();
                    }
                }
            }
            if (kept.isEmpty()) {
                if (progress || wakeRequested) {
                    startCycleLocked();
                } else {
                    phase = Phase.IDLE;
                }
                return null;
            }
            credit.consume(records, bytes);
            phase = Phase.SENDING;
            Set<TopicPartition> sending = new HashSet<>();
            kept.forEach(p -> sending.add(p.topicPartition()));
            inFlight = sending;
            chunksInFlight++;
            maxChunksInFlight = Math.max(maxChunksInFlight, chunksInFlight);
            maxChunkReadBytes = Math.max(maxChunkReadBytes, read.readBytes());
            return new Chunk(List.copyOf(kept), records, bytes);
        }
    }

    /** Wakes the session on the partition's next high-watermark move; one registration per future. */
    private void watchLocked(Slot slot, CompletableFuture<Void> advance) {
        if (slot.watched != advance) {
            slot.watched = advance;
            advance.whenComplete((ok, error) -> wake());
        }
    }

    private void afterDelivery(Chunk chunk, Throwable error) {
        List<CompletableFuture<Void>> released;
        synchronized (lock) {
            chunksInFlight--;
            inFlight = Set.of();
            released = afterInFlight;
            afterInFlight = new ArrayList<>();
            if (error == null) {
                chunksDelivered++;
                recordsDelivered += chunk.recordCount();
            }
        }
        released.forEach(f -> f.complete(null));
        if (error != null) {
            close();
            return;
        }
        Map<TopicPartition, Long> delivered = new LinkedHashMap<>();
        chunk.partitions().forEach(p -> delivered.put(p.topicPartition(), p.nextOffset()));
        listener.delivered(delivered);
        synchronized (lock) {
            if (phase == Phase.SENDING) {
                startCycleLocked();
            }
        }
    }

    private void fail(TributaryException error) {
        boolean first;
        synchronized (lock) {
            first = phase != Phase.CLOSED;
        }
        close();
        if (first) {
            sink.failed(error);
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return phase == Phase.CLOSED;
        }
    }

    /** Stops delivering. Chunks already handed to the sink may still be written. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> released;
        synchronized (lock) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            released = afterInFlight;
            afterInFlight = new ArrayList<>();
        }
        released.forEach(f -> f.complete(null));
        onClose.accept(this);
    }
}
