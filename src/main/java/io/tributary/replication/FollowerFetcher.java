package io.tributary.replication;

import io.tributary.common.ErrorCode;
import io.tributary.common.LogFields;
import io.tributary.common.TopicPartition;
import io.tributary.log.EpochEndOffset;
import io.tributary.log.PartitionLog;
import io.tributary.replication.ReplicationMessages.EpochResponse;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the partitions this broker follows from one leader broker, on its own thread.
 *
 * <p>Each round: every partition newly assigned (a new leader or epoch) is first truncated by
 * leader epoch: the fetcher asks the leader where this log's latest epoch ends
 * ({@code OFFSETS_FOR_LEADER_EPOCH}) and cuts the log there, or at its own end of the epoch the
 * leader answered with, whichever is lower (with no epoch known: at the high watermark). Then one
 * FETCH for all partitions from their log ends; it long-polls at the leader. Batches are appended
 * as they came (offsets and epochs kept) and the follower's high watermark becomes
 * {@code min(leader's high watermark, local log end)}. {@code DIVERGING_EPOCH} or an offset out of
 * range send a partition back to truncation. Errors back off; an idle fetcher (no partitions)
 * sleeps on its monitor until one is added. A partition added while a fetch long-polls at the
 * leader does not wait for it: the fetcher leaves that fetch (its answer, when it comes, is
 * dropped unread) and starts a round with the new partition at once, so a new leader's first
 * {@code acks=all} writes wait for no idle poll (up to {@code fetch-max-wait}) after a failover.
 *
 * <p>Removal is synchronous with respect to processing: {@link #remove} takes the lock that
 * processing holds, so once it returns nothing more is appended to that partition by this
 * fetcher. Thread safety: thread-safe.
 */
final class FollowerFetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FollowerFetcher.class);
    private static final long BACKOFF_MS = 200;
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    private static final class Assignment {
        final Partition partition;
        final int leaderEpoch;
        volatile boolean needsTruncation = true;

        Assignment(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final int leaderId;
    private final int localBrokerId;
    private final ReplicationClients clients;
    private final ReplicationConfig config;
    private final Map<TopicPartition, Assignment> assigned = new ConcurrentHashMap<>();
    private final Object processLock = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    /** Completed by {@link #add}; renewed by the fetcher thread before each fetch is built. */
    private volatile CompletableFuture<Void> added = new CompletableFuture<>();

    FollowerFetcher(String name, int leaderId, int localBrokerId, ReplicationClients clients, ReplicationConfig config) {
        this.leaderId = leaderId;
        this.localBrokerId = localBrokerId;
        this.clients = clients;
        this.config = config;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts following {@code partition} in {@code leaderEpoch} (truncating first), unless already doing so. */
    void add(Partition partition, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        synchronized (processLock) {
            Assignment current = assigned.get(tp);
            if (current != null && current.leaderEpoch == leaderEpoch && current.partition == partition) {
                return;
            }
            assigned.put(tp, new Assignment(partition, leaderEpoch));
        }
        added.complete(null);
        wake();
    }

    /** Stops following {@code tp}; when this returns, no append from this fetcher is in progress for it. */
    void remove(TopicPartition tp) {
        synchronized (processLock) {
            assigned.remove(tp);
        }
    }

    boolean isEmpty() {
        return assigned.isEmpty();
    }

    private synchronized void wake() {
        notifyAll();
    }

    private synchronized void pause(long ms) throws InterruptedException {
        if (running) {
            wait(ms);
        }
    }

    private void run() {
        while (running) {
            try {
                if (assigned.isEmpty()) {
                    pause(1_000);
                    continue;
                }
                if (!truncateWhereNeeded() || !fetchOnce()) {
                    pause(BACKOFF_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                logFailure(e);
                try {
                    pause(BACKOFF_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Logs a failed round: an unreachable leader (expected while leadership moves) at debug, the rest at warn. */
    private void logFailure(RuntimeException e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof io.tributary.common.TributaryException t && t.code().retriable()) {
            LOG.debug("Fetching from broker {} failed: {}", leaderId, cause.toString());
        } else {
            LOG.warn("Fetching from broker {} failed: {}", leaderId, cause.toString());
        }
    }

    /** Truncates every partition that needs it; false if some could not be (retry after a backoff). */
    private boolean truncateWhereNeeded() {
        boolean allDone = true;
        for (Map.Entry<TopicPartition, Assignment> e : assigned.entrySet()) {
            Assignment a = e.getValue();
            if (!a.needsTruncation) {
                continue;
            }
            PartitionLog log = a.partition.log();
            int epoch = log.latestEpoch();
            EpochResponse answer = epoch < 0 ? new EpochResponse("", -1, -1)
                    : clients.endOffsetForEpoch(leaderId, e.getKey(), epoch, REQUEST_TIMEOUT_MS).join();
            if (!answer.error().isEmpty()) {
                allDone = false;
                continue;
            }
            synchronized (processLock) {
                if (assigned.get(e.getKey()) == a) {
                    truncate(a, epoch, answer);
                    a.needsTruncation = false;
                }
            }
        }
        return allDone;
    }

    private void truncate(Assignment a, int localEpoch, EpochResponse answer) {
        PartitionLog log = a.partition.log();
        long end = log.logEndOffset();
        long target;
        if (answer.epoch() < 0) {
            target = a.partition.highWatermark();
        } else if (answer.epoch() == localEpoch) {
            target = Math.min(answer.endOffset(), end);
        } else {
            EpochEndOffset local = log.endOffsetForEpoch(answer.epoch());
            target = Math.min(answer.endOffset(), local.isDefined() ? local.endOffset() : a.partition.highWatermark());
        }
        if (target < end) {
            LogFields.of(LOG.atInfo(), log.topicPartition()).log("Follower {} truncates {} from {} to {} (leader {} says"
                    + " epoch {} ends at {})", localBrokerId,
                    log.topicPartition(), end, target, leaderId, answer.epoch(), answer.endOffset());
            log.truncateTo(target);
            a.partition.onTruncated();
        }
    }

    /**
     * One fetch round; false when nothing could be fetched (back off). True at once, with nothing
     * applied, when a partition is added while the fetch waits at the leader.
     */
    private boolean fetchOnce() {
        if (added.isDone()) {
            added = new CompletableFuture<>();
        }
        CompletableFuture<Void> addedMeanwhile = added;
        List<FetchPartition> wanted = new ArrayList<>();
        for (Map.Entry<TopicPartition, Assignment> e : assigned.entrySet()) {
            if (!e.getValue().needsTruncation) {
                PartitionLog log = e.getValue().partition.log();
                wanted.add(new FetchPartition(e.getKey(), log.logEndOffset(), log.latestEpoch()));
            }
        }
        if (wanted.isEmpty()) {
            return false;
        }
        CompletableFuture<FetchResponse> fetch = clients.fetch(leaderId, new FetchRequest(localBrokerId,
                config.fetchMaxWaitMs(), config.fetchMaxBytes(), wanted), config.fetchMaxWaitMs() + REQUEST_TIMEOUT_MS);
        CompletableFuture.anyOf(fetch, addedMeanwhile).join();
        if (!fetch.isDone()) {
            return true;   // a partition was added: leave this poll to the leader and fetch again with it
        }
        FetchResponse response = fetch.join();
        boolean progressed = false;
        synchronized (processLock) {
            for (PartitionData data : response.partitions()) {
                Assignment a = assigned.get(data.tp());
                if (a != null) {
                    progressed |= apply(a, data);
                }
            }
        }
        return progressed;
    }

    private boolean apply(Assignment a, PartitionData data) {
        if (data.ok()) {
            if (data.records().sizeInBytes() > 0) {
                a.partition.appendAsFollower(data.records());
            }
            a.partition.updateFollowerHighWatermark(data.highWatermark());
            return true;
        }
        PartitionLog log = a.partition.log();
        if (data.error().equals(ReplicationMessages.DIVERGING_EPOCH)) {
            a.needsTruncation = true;
            return true;
        }
        if (data.error().equals(ErrorCode.OFFSET_OUT_OF_RANGE.name())) {
            if (log.logEndOffset() < data.logStartOffset()) {
                LogFields.of(LOG.atInfo(), data.tp()).log("Follower {} restarts {} at the leader's log start {}",
                        localBrokerId, data.tp(), data.logStartOffset());
                log.truncateFullyAndStartAt(data.logStartOffset());
                a.partition.onTruncated();
            } else {
                a.needsTruncation = true;
            }
            return true;
        }
        return false;
    }

    @Override
    /**
     * Stops the thread: it finishes the fetch in progress (an interrupt during a log write would
     * close the log's file channel and fail its directory) and is interrupted only if it has not
     * ended within 5 seconds.
     */
    public void close() {
        running = false;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
