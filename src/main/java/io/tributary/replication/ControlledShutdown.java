package io.tributary.replication;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of stopping a broker: hand its leadership over before anything closes. The broker
 * announces its shutdown ({@link ClusterMetadata#announceShutdown()}); the controller (this broker
 * or another) then elects another in-sync replica for every partition it leads, in a new epoch,
 * and takes it out of every ISR. {@link #run} waits, bounded, until the partition states show
 * other leaders and this broker's replicas have turned follower, so acks=all requests still in
 * flight here fail with NOT_LEADER (retriable) instead of being cut off. A partition with no other
 * live in-sync replica keeps this broker as leader until it stops (logged).
 *
 * <p>Thread safety: thread-safe; {@link #run} blocks and is meant for the shutdown thread.
 */
public final class ControlledShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(ControlledShutdown.class);
    private static final long POLL_MS = 50;

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;

    public ControlledShutdown(ClusterMetadata cluster, ReplicaManager replicas) {
        this.cluster = cluster;
        this.replicas = replicas;
    }

    /**
     * Announces the shutdown and waits up to {@code timeoutMs} for leadership to move; returns the
     * partitions this broker still leads although another live in-sync replica could take them
     * (empty when the handover completed).
     */
    public List<TopicPartition> run(long timeoutMs) {
        if (!cluster.sessionHealthy()) {
            LOG.warn("Broker {} stops without a controlled shutdown: its ZooKeeper session is in doubt",
                    cluster.localBrokerId());
            return movable();
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        try {
            cluster.announceShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Broker {} could not announce its shutdown: {}", cluster.localBrokerId(), e.toString());
            return movable();
        }
        List<TopicPartition> left = movable();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = movable();
        }
        long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        try {
            replicas.awaitApplied(remainingMs);
        } catch (RuntimeException e) {
            LOG.warn("Broker {}: replica roles did not settle before stopping: {}", cluster.localBrokerId(), e.toString());
        }
        List<TopicPartition> stuck = stillLeading();
        if (!left.isEmpty()) {
            LOG.warn("Broker {}: leadership of {} did not move within {} ms", cluster.localBrokerId(), left, timeoutMs);
        }
        if (!stuck.isEmpty()) {
            LOG.warn("Broker {} stays leader of {} until it stops: no other live in-sync replica",
                    cluster.localBrokerId(), stuck);
        }
        LOG.info("Broker {} handed over its leadership", cluster.localBrokerId());
        return left;
    }

    /** Partitions this broker leads (by cluster state) that another live in-sync replica could take. */
    List<TopicPartition> movable() {
        return ledHere(true);
    }

    private List<TopicPartition> stillLeading() {
        return ledHere(false);
    }

    private List<TopicPartition> ledHere(boolean withAnotherIsrMember) {
        int self = cluster.localBrokerId();
        Set<Integer> live = cluster.liveBrokers().keySet();
        List<TopicPartition> led = new ArrayList<>();
        for (TopicDefinition topic : cluster.topics().values()) {
            for (int p : topic.assignment().keySet()) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                PartitionState s = cluster.partitionState(tp).orElse(null);
                if (s != null && s.leader() == self) {
                    boolean other = s.isr().stream().anyMatch(r -> r != self && live.contains(r));
                    if (other == withAnotherIsrMember) {
                        led.add(tp);
                    }
                }
            }
        }
        return led;
    }
}
