package io.tributary.cluster;

import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's duties, run by whichever broker holds the controller latch. A <em>pass</em>
 * looks at every partition and makes at most one change to each, by compare-and-set on its state
 * ({@link #decide}):
 * <ol>
 *   <li>Leader gone (its broker is not live) or none: elect the first replica, in assignment
 *       order, that is live and in the ISR; the new ISR is the live part of the old one. With none
 *       and {@code unclean.leader.election.enable=true}, elect the first live replica with an ISR
 *       of itself (records may be lost). Otherwise the partition goes offline (leader -1) keeping
 *       its ISR, so the first ISR member to come back is elected.</li>
 *   <li>Leader live, ISR names dead brokers: drop them from the ISR.</li>
 *   <li>Leader shutting down ({@link ClusterMetadata#shuttingDownBrokers()}, a controlled
 *       shutdown): elect the first replica that is live, in the ISR and not shutting down, with
 *       the ISR less the brokers shutting down. With no such replica the leader stays.</li>
 *   <li>Leader live, ISR names brokers shutting down: drop them from the ISR.</li>
 *   <li>Leader live, the preferred replica (the first of the assignment) is live, in the ISR, not
 *       shutting down and not the leader: make it leader (preferred-leader restoration).</li>
 * </ol>
 * A broker shutting down is never elected while another live ISR member is not.
 * Every leader change bumps the leader epoch. Leaders write their own ISR changes; a lost race
 * (version moved) just triggers another pass. Passes run on one thread, on every broker, topic or
 * partition change, on becoming controller (so a new controller continues from ZooKeeper state),
 * and every {@code intervalMs}. A broker that is not the controller, or whose session is in doubt,
 * does nothing.
 *
 * <p>Thread safety: thread-safe; listener callbacks only queue a pass.
 */
public final class Controller implements ClusterListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    public static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";

    private final ClusterMetadata cluster;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-controller");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean passQueued = new AtomicBoolean();

    public Controller(ClusterMetadata cluster, long intervalMs) {
        this.cluster = cluster;
        thread.scheduleWithFixedDelay(this::requestPass, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Queues a pass unless one is already queued. */
    public void requestPass() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    passQueued.set(false);
                    runPass();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                passQueued.set(false);
            }
        }
    }

    private void runPass() {
        if (!cluster.isController() || !cluster.sessionHealthy()) {
            return;
        }
        try {
            Set<Integer> live = cluster.liveBrokers().keySet();
            Set<Integer> leaving = cluster.shuttingDownBrokers();
            for (TopicDefinition topic : cluster.topics().values()) {
                for (int p : topic.assignment().keySet()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p);
                    Optional<PartitionState> state = cluster.partitionState(tp);
                    if (state.isPresent()) {
                        PartitionState next = decide(topic, p, state.get(), live, leaving);
                        if (next != null) {
                            apply(tp, state.get(), next);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Controller pass failed: {}", e.toString());
        }
    }

    private void apply(TopicPartition tp, PartitionState from, PartitionState to) {
        if (cluster.compareAndSetPartitionState(tp, from, to)) {
            LOG.info("Controller {}: {} leader {} epoch {} ISR {} -> leader {} epoch {} ISR {}", cluster.localBrokerId(), tp,
                    from.leader(), from.leaderEpoch(), from.isr(), to.leader(), to.leaderEpoch(), to.isr());
        } else {
            requestPass();
        }
    }

    /** The state partition {@code p} of {@code topic} should move to from {@code s}, or null if none (see the class doc). */
    static PartitionState decide(TopicDefinition topic, int p, PartitionState s, Set<Integer> live) {
        return decide(topic, p, s, live, Set.of());
    }

    /** As {@link #decide(TopicDefinition, int, PartitionState, Set)}, with brokers in a controlled shutdown. */
    static PartitionState decide(TopicDefinition topic, int p, PartitionState s, Set<Integer> live, Set<Integer> leaving) {
        List<Integer> replicas = topic.replicas(p);
        List<Integer> liveIsr = s.isr().stream().filter(live::contains).toList();
        Optional<Integer> staying = replicas.stream()
                .filter(r -> live.contains(r) && s.isr().contains(r) && !leaving.contains(r)).findFirst();
        if (!s.hasLeader() || !live.contains(s.leader())) {
            Optional<Integer> clean = staying.isPresent() ? staying
                    : replicas.stream().filter(r -> live.contains(r) && s.isr().contains(r)).findFirst();
            if (clean.isPresent()) {
                return s.withLeader(clean.get(), liveIsr);
            }
            if (uncleanElectionEnabled(topic)) {
                Optional<Integer> any = replicas.stream().filter(live::contains).findFirst();
                if (any.isPresent()) {
                    return s.withLeader(any.get(), List.of(any.get()));
                }
            }
            return s.hasLeader() ? new PartitionState(PartitionState.NO_LEADER, s.leaderEpoch() + 1, s.isr(), s.version())
                    : null;
        }
        if (liveIsr.size() < s.isr().size()) {
            return s.withIsr(liveIsr);
        }
        if (leaving.contains(s.leader())) {
            return staying.map(next -> s.withLeader(next, without(liveIsr, leaving))).orElse(null);
        }
        if (liveIsr.stream().anyMatch(leaving::contains)) {
            return s.withIsr(without(liveIsr, leaving));
        }
        int preferred = replicas.isEmpty() ? s.leader() : replicas.get(0);
        if (preferred != s.leader() && live.contains(preferred) && s.isr().contains(preferred)
                && !leaving.contains(preferred)) {
            return s.withLeader(preferred, new ArrayList<>(s.isr()));
        }
        return null;
    }

    private static List<Integer> without(List<Integer> isr, Set<Integer> leaving) {
        return isr.stream().filter(r -> !leaving.contains(r)).toList();
    }

    static boolean uncleanElectionEnabled(TopicDefinition topic) {
        return "true".equalsIgnoreCase(topic.configs().getOrDefault(UNCLEAN_LEADER_ELECTION, "false").trim());
    }

    @Override
    public void onBrokersChanged() {
        requestPass();
    }

    @Override
    public void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
        requestPass();
    }

    @Override
    public void onTopicChanged(String topic) {
        requestPass();
    }

    @Override
    public void onControllerChanged() {
        requestPass();
    }

    @Override
    public void onSessionRestored() {
        requestPass();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
