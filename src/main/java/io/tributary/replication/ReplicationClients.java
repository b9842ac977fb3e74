package io.tributary.replication;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.replication.ReplicationMessages.EpochRequest;
import io.tributary.replication.ReplicationMessages.EpochResponse;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.OffsetsRequest;
import io.tributary.replication.ReplicationMessages.OffsetsResponse;
import io.tributary.replication.ReplicationMessages.ProduceRequest;
import io.tributary.replication.ReplicationMessages.ProduceResponse;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed requests to other brokers over their replication channels, one {@link ReplicationClient}
 * per broker, found at the address in the broker's registration (and replaced when a broker comes
 * back at a different address). Thread safety: thread-safe; calls may block briefly while a
 * connection is made, so make them off the event loop.
 */
public final class ReplicationClients implements AutoCloseable {

    private final ClusterMetadata cluster;
    private final Map<Integer, ReplicationClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ReplicationClients(ClusterMetadata cluster) {
        this.cluster = cluster;
    }

    public CompletableFuture<FetchResponse> fetch(int brokerId, FetchRequest request, long timeoutMs) {
        return client(brokerId).request(ReplicationCodec.FETCH, ReplicationCodec.encode(request), timeoutMs)
                .thenApply(ReplicationCodec::fetchResponse);
    }

    public CompletableFuture<EpochResponse> endOffsetForEpoch(int brokerId, TopicPartition tp, int epoch, long timeoutMs) {
        return client(brokerId).request(ReplicationCodec.OFFSETS_FOR_LEADER_EPOCH,
                ReplicationCodec.encode(new EpochRequest(tp, epoch)), timeoutMs).thenApply(ReplicationCodec::epochResponse);
    }

    public CompletableFuture<ProduceResponse> produce(int brokerId, ProduceRequest request, long timeoutMs) {
        return client(brokerId).request(ReplicationCodec.PRODUCE, ReplicationCodec.encode(request), timeoutMs)
                .thenApply(ReplicationCodec::produceResponse);
    }

    public CompletableFuture<OffsetsResponse> offsets(int brokerId, OffsetsRequest request, long timeoutMs) {
        return client(brokerId).request(ReplicationCodec.LIST_OFFSETS, ReplicationCodec.encode(request), timeoutMs)
                .thenApply(ReplicationCodec::offsetsResponse);
    }

    private ReplicationClient client(int brokerId) {
        if (closed) {
            throw new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "This broker is shutting down");
        }
        BrokerInfo broker = cluster.liveBrokers().get(brokerId);
        if (broker == null) {
            throw new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "Broker " + brokerId + " is not live");
        }
        String address = broker.host() + ":" + broker.replicationPort();
        return clients.compute(brokerId, (id, existing) -> {
            if (existing != null && existing.address().equals(address)) {
                return existing;
            }
            if (existing != null) {
                existing.close();
            }
            return new ReplicationClient(broker.host(), broker.replicationPort());
        });
    }

    @Override
    public void close() {
        closed = true;
        clients.values().forEach(ReplicationClient::close);
        clients.clear();
    }
}
