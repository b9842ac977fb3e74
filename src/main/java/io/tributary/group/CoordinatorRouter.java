package io.tributary.group;

import io.tributary.cluster.BrokerInfo;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.service.PartitionRouter;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The routing seam for groups: which broker coordinates a group, so that the front can send a
 * request for a group coordinated elsewhere to its coordinator. The coordinator is the leader of
 * the group's {@code __consumer_offsets} partition ({@link CoordinatorPlacement}), found through
 * the local copy of cluster state; it may lag a leader change by a moment, and the broker a
 * request reaches then refuses it with the retriable {@code NOT_COORDINATOR}.
 *
 * <p>{@link #coordinatorElsewhere} answers empty when the request is to be served here: this
 * broker coordinates the group, or no other live broker is known to (no leader, a leader that is
 * not live, or cluster state naming this broker while its replica has not taken over yet). Served
 * here, such a request gets {@code NOT_COORDINATOR} unless this broker does coordinate the group.
 *
 * <p>Thread safety: thread-safe.
 */
public final class CoordinatorRouter {

    /** A broker requests can be sent to: its id, host and HTTP port. */
    public record Broker(int id, String host, int port) {
    }

    private final GroupCoordinator coordinator;
    private final ClusterMetadata cluster;
    private final PartitionRouter partitions;

    public CoordinatorRouter(GroupCoordinator coordinator, ClusterMetadata cluster) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.partitions = new PartitionRouter(cluster);
    }

    /**
     * The group's coordinator when it is another live broker. May block the first time (it creates
     * the offsets topic); throws INVALID_REQUEST for a malformed group id.
     */
    public Optional<Broker> coordinatorElsewhere(String group) {
        CoordinatorPlacement placement = coordinator.coordinatorFor(group);
        if (placement.local()) {
            return Optional.empty();
        }
        try {
            PartitionRouter.Route route = partitions.route(new TopicPartition(LogOffsetStore.TOPIC,
                    placement.partition()));
            return route.local() ? Optional.empty() : Optional.of(new Broker(route.leaderId(), route.host(),
                    route.port()));
        } catch (TributaryException noLiveLeader) {
            return Optional.empty();
        }
    }

    /** This broker's id, which marks the requests it forwards. */
    public int localBrokerId() {
        return cluster.localBrokerId();
    }

    /** Every other live broker, by id: each coordinates its own share of the groups. */
    public List<Broker> otherBrokers() {
        return cluster.liveBrokers().values().stream()
                .filter(b -> b.id() != cluster.localBrokerId())
                .sorted(Comparator.comparingInt(BrokerInfo::id))
                .map(b -> new Broker(b.id(), b.host(), b.port()))
                .toList();
    }
}
