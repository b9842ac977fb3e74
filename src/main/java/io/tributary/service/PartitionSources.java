package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.replication.Partition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The partitions of one {@link ConsumeSession} and where each is read: the local replica while
 * this broker leads it, otherwise the leader named by cluster state, over the replication channel.
 * The session holds the positions; a source only answers reads at the positions it is given. So
 * when leadership moves mid-stream the session simply reads its next offset from the new leader:
 * records below the high watermark are on every in-sync replica, and a clean election picks one of
 * those, so nothing delivered is missing there and nothing is delivered twice.
 *
 * <p>A source is replaced when it no longer matches cluster state (this broker stopped leading,
 * or the state names another leader), or when it fails with a retriable error (the leader moved,
 * is out of reach, or there is none yet). Then the partition answers idle with a retry timer,
 * backing off from {@value #FIRST_RETRY_MS} ms to {@value #MAX_RETRY_MS} ms while it keeps failing.
 * Errors that are not retriable (the topic was deleted) end the session.
 *
 * <p>Thread safety: thread-safe. The session reads from one cycle at a time; revocation may run
 * beside it.
 */
final class PartitionSources {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionSources.class);
    static final long FIRST_RETRY_MS = 25;
    static final long MAX_RETRY_MS = 1_000;

    /** Where leaders are. */
    interface Routes {
        /**
         * This broker's replica of {@code tp} when it leads it now.
         *
         * @throws TributaryException TOPIC_NOT_FOUND when the topic no longer exists
         */
        Optional<Partition> leading(TopicPartition tp);

        /** The leader of {@code tp} in this broker's copy of cluster state; -1 when there is none. */
        int leaderOf(TopicPartition tp);

        /** This broker's id. */
        int localBrokerId();

        /** A source reading {@code tp} from broker {@code leaderId}. */
        PartitionSource remote(TopicPartition tp, int leaderId);
    }

    private final Routes routes;
    private final Map<TopicPartition, PartitionSource> sources = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> failures = new ConcurrentHashMap<>();

    PartitionSources(Routes routes) {
        this.routes = routes;
    }

    /** Sources over the partitions this broker leads only (no other brokers), as in tests. */
    static PartitionSources localOnly(java.util.function.Function<TopicPartition, Partition> leaders) {
        return new PartitionSources(new Routes() {
            @Override
            public Optional<Partition> leading(TopicPartition tp) {
                return Optional.of(leaders.apply(tp));
            }

            @Override
            public int leaderOf(TopicPartition tp) {
                return -1;
            }

            @Override
            public int localBrokerId() {
                return 0;
            }

            @Override
            public PartitionSource remote(TopicPartition tp, int leaderId) {
                throw new TributaryException(ErrorCode.LEADER_NOT_AVAILABLE, "No other brokers");
            }
        });
    }

    /**
     * Reads {@code tp} from its current source; see {@link PartitionSource#read}.
     *
     * @throws OffsetOutOfRangeException when the position is outside the leader's log
     * @throws TributaryException        a non-retriable error: the session cannot go on
     */
    PartitionSource.Read read(TopicPartition tp, long position, int maxBytes) {
        try {
            PartitionSource source = sources.get(tp);
            if (source == null || !source.current()) {
                source = open(tp);
                sources.put(tp, source);
            }
            PartitionSource.Read read = source.read(position, maxBytes);
            failures.remove(tp);
            return read;
        } catch (OffsetOutOfRangeException e) {
            throw e;
        } catch (TributaryException e) {
            if (!e.code().retriable()) {
                throw e;
            }
            sources.remove(tp);
            int failed = failures.merge(tp, 1, Integer::sum);
            long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failed - 1, 10));
            LOG.debug("Reading {} failed ({}); looking for its leader again in {} ms", tp, e.getMessage(), delay);
            return PartitionSource.Read.idle(CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)));
        }
    }

    private PartitionSource open(TopicPartition tp) {
        Optional<Partition> local = routes.leading(tp);
        if (local.isPresent()) {
            return new LocalPartitionSource(local.get());
        }
        int leader = routes.leaderOf(tp);
        if (leader < 0 || leader == routes.localBrokerId()) {
            throw new TributaryException(ErrorCode.LEADER_NOT_AVAILABLE, tp + " has no leader to read from now");
        }
        return routes.remote(tp, leader);
    }

    /** Forgets partitions the session no longer reads. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            sources.remove(tp);
            failures.remove(tp);
        });
    }
}
