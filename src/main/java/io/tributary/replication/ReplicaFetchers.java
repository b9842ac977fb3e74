package io.tributary.replication;

import io.tributary.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link FollowerFetcher}s of this broker: one per (leader broker, fetcher index), a partition
 * going to index {@code hash(partition) % fetcherThreads}. A fetcher left with no partitions is
 * closed. Thread safety: thread-safe.
 */
final class ReplicaFetchers implements AutoCloseable {

    private record Key(int leaderId, int index) {
    }

    private final int localBrokerId;
    private final ReplicationClients clients;
    private final ReplicationConfig config;
    private final Map<Key, FollowerFetcher> fetchers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Key> owners = new ConcurrentHashMap<>();

    ReplicaFetchers(int localBrokerId, ReplicationClients clients, ReplicationConfig config) {
        this.localBrokerId = localBrokerId;
        this.clients = clients;
        this.config = config;
    }

    /** Follows {@code partition} from {@code leaderId} in {@code leaderEpoch}, leaving any other fetcher of it. */
    synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        Key key = new Key(leaderId, Math.floorMod(tp.hashCode(), Math.max(1, config.fetcherThreads())));
        Key old = owners.get(tp);
        if (old != null && !old.equals(key)) {
            stop(tp);
        }
        FollowerFetcher fetcher = fetchers.computeIfAbsent(key, k -> new FollowerFetcher(
                "tributary-fetcher-" + localBrokerId + "-from-" + k.leaderId() + "-" + k.index(),
                k.leaderId(), localBrokerId, clients, config));
        fetcher.add(partition, leaderEpoch);
        owners.put(tp, key);
    }

    /** Stops following {@code tp}; nothing more is appended to it by a fetcher once this returns. */
    synchronized void stop(TopicPartition tp) {
        Key key = owners.remove(tp);
        if (key == null) {
            return;
        }
        FollowerFetcher fetcher = fetchers.get(key);
        if (fetcher != null) {
            fetcher.remove(tp);
            if (fetcher.isEmpty()) {
                fetchers.remove(key);
                fetcher.close();
            }
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(FollowerFetcher::close);
        fetchers.clear();
        owners.clear();
    }
}
