package io.tributary.replication;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TributaryException;
import io.tributary.log.EpochEndOffset;
import io.tributary.log.LogReadResult;
import io.tributary.log.index.TimestampOffset;
import io.tributary.replication.ReplicationCodec.Frame;
import io.tributary.replication.ReplicationMessages.EpochRequest;
import io.tributary.replication.ReplicationMessages.EpochResponse;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.OffsetsRequest;
import io.tributary.replication.ReplicationMessages.OffsetsResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;
import io.tributary.replication.ReplicationMessages.ProduceRequest;
import io.tributary.replication.ReplicationMessages.ProduceResponse;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Answers requests on the replication channel from this broker's replicas.
 *
 * <p>FETCH from a follower reads from the follower's offset up to the log end and records the
 * follower's progress (which may grow the ISR and move the high watermark); a follower whose last
 * fetched epoch does not end where the leader's log says gets {@code DIVERGING_EPOCH} and
 * truncates first. FETCH from {@link ReplicationMessages#CONSUMER_REPLICA_ID} (a forwarded
 * consumer read) reads below the high watermark only. When no partition has anything, the fetch
 * long-polls: it waits on the partitions' change signals (appends, high watermark moves, role
 * changes), taken before reading so no wake-up is lost, for at most {@code maxWaitMs}, then reads
 * once more. No polling loop.
 *
 * <p>Thread safety: thread-safe; called on bounded-elastic workers.
 */
final class ReplicationRequestHandler implements Function<Frame, Mono<ByteBuffer>> {

    /** Reads after a wake-up run here, not on the thread that fired the signal (an appender or the flusher). */
    private static final java.util.concurrent.Executor READ_EXECUTOR =
            task -> reactor.core.scheduler.Schedulers.boundedElastic().schedule(task);

    private final ReplicaManager replicas;

    ReplicationRequestHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public Mono<ByteBuffer> apply(Frame frame) {
        ByteBuffer body = frame.body();
        return switch (frame.apiKey()) {
            case ReplicationCodec.FETCH -> Mono.fromFuture(() -> fetch(ReplicationCodec.fetchRequest(body)))
                    .map(ReplicationCodec::encode);
            case ReplicationCodec.OFFSETS_FOR_LEADER_EPOCH -> Mono.fromCallable(() ->
                    ReplicationCodec.encode(endOffsetForEpoch(ReplicationCodec.epochRequest(body))));
            case ReplicationCodec.PRODUCE -> Mono.fromFuture(() -> produce(ReplicationCodec.produceRequest(body)))
                    .map(ReplicationCodec::encode);
            case ReplicationCodec.LIST_OFFSETS -> Mono.fromCallable(() ->
                    ReplicationCodec.encode(offsets(ReplicationCodec.offsetsRequest(body))));
            default -> Mono.error(new IllegalArgumentException("Unknown replication api key " + frame.apiKey()));
        };
    }

    CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        List<CompletableFuture<Void>> changes = new ArrayList<>();
        for (FetchPartition fp : request.partitions()) {
            replicas.partition(fp.tp()).ifPresent(p -> changes.add(request.replicaId() == ReplicationMessages.CONSUMER_REPLICA_ID
                    ? p.nextHighWatermarkAdvance() : p.nextDataChange()));
        }
        FetchResponse now = readAll(request);
        boolean empty = now.partitions().stream().allMatch(d -> d.ok() && d.records().sizeInBytes() == 0);
        if (!empty || request.maxWaitMs() <= 0 || changes.isEmpty()) {
            return CompletableFuture.completedFuture(now);
        }
        return CompletableFuture.anyOf(changes.toArray(CompletableFuture[]::new))
                .orTimeout(request.maxWaitMs(), TimeUnit.MILLISECONDS)
                .handleAsync((ok, timeout) -> readAll(request), READ_EXECUTOR);
    }

    private FetchResponse readAll(FetchRequest request) {
        List<PartitionData> data = new ArrayList<>();
        int budget = request.maxBytes();
        for (FetchPartition fp : request.partitions()) {
            PartitionData d = readOne(request.replicaId(), fp, Math.max(budget, 1));
            budget -= d.records().sizeInBytes();
            data.add(d);
        }
        return new FetchResponse(data);
    }

    private PartitionData readOne(int replicaId, FetchPartition fp, int maxBytes) {
        Optional<Partition> found = replicas.partition(fp.tp());
        if (found.isEmpty()) {
            return new PartitionData(fp.tp(), ErrorCode.NOT_LEADER.name(), -1, -1, -1,
                    io.tributary.log.record.MemoryRecords.EMPTY);
        }
        Partition p = found.get();
        if (!p.isLeader()) {
            return p.error(ErrorCode.NOT_LEADER.name());
        }
        if (replicaId == ReplicationMessages.CONSUMER_REPLICA_ID) {
            try {
                LogReadResult read = p.read(fp.fetchOffset(), maxBytes);
                return new PartitionData(fp.tp(), "", p.highWatermark(), read.logStartOffset(), read.logEndOffset(),
                        read.records());
            } catch (OffsetOutOfRangeException e) {
                return p.error(ErrorCode.OFFSET_OUT_OF_RANGE.name());
            }
        }
        if (fp.lastFetchedEpoch() >= 0) {
            EpochEndOffset end = p.log().endOffsetForEpoch(fp.lastFetchedEpoch());
            if (end.epoch() != fp.lastFetchedEpoch() || end.endOffset() < fp.fetchOffset()) {
                return p.error(ReplicationMessages.DIVERGING_EPOCH);
            }
        }
        return p.readForFollower(replicaId, fp.fetchOffset(), maxBytes);
    }

    EpochResponse endOffsetForEpoch(EpochRequest request) {
        Optional<Partition> p = replicas.partition(request.tp()).filter(Partition::isLeader);
        if (p.isEmpty()) {
            return new EpochResponse(ErrorCode.NOT_LEADER.name(), -1, -1);
        }
        EpochEndOffset end = p.get().log().endOffsetForEpoch(request.epoch());
        return new EpochResponse("", end.epoch(), end.endOffset());
    }

    CompletableFuture<ProduceResponse> produce(ProduceRequest request) {
        try {
            Partition p = replicas.leaderPartition(request.tp());
            return p.appendAsLeader(request.records(), request.acks())
                    .thenApply(r -> new ProduceResponse("", "", r.firstOffset(), r.lastOffset(), r.logAppendTime(), r.records()))
                    .exceptionally(e -> produceError(e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(produceError(e));
        }
    }

    private static ProduceResponse produceError(Throwable e) {
        TributaryException t = asTributary(e);
        return new ProduceResponse(t.code().name(), t.getMessage(), -1, -1, -1, 0);
    }

    OffsetsResponse offsets(OffsetsRequest request) {
        try {
            Partition p = replicas.leaderPartition(request.tp());
            long latest = p.highWatermark();
            long forTimestamp = -1;
            if (request.timestamp() >= 0) {
                forTimestamp = p.log().offsetForTimestamp(request.timestamp()).map(TimestampOffset::offset)
                        .filter(o -> o < latest).orElse(latest);
            }
            return new OffsetsResponse("", "", p.logStartOffset(), latest, forTimestamp);
        } catch (RuntimeException e) {
            TributaryException t = asTributary(e);
            return new OffsetsResponse(t.code().name(), t.getMessage(), -1, -1, -1);
        }
    }

    private static TributaryException asTributary(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TributaryException t) {
            return t;
        }
        return new TributaryException(ErrorCode.UNKNOWN_SERVER_ERROR, String.valueOf(cause.getMessage()));
    }
}
