package io.tributary.api.ws;

import io.tributary.api.codec.JsonByteWriter;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.GroupCoordinator;
import io.tributary.group.JoinRequest;
import io.tributary.group.JoinResult;
import io.tributary.group.MemberAssignment;
import io.tributary.group.MemberListener;
import io.tributary.group.PartitionCommit;
import io.tributary.service.ConsumeSession;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consume WebSocket as a consumer-group member: the coordinator's {@link MemberListener} for the
 * socket, which turns assignments and revocations into {@code assigned} / {@code revoked} frames
 * and {@link ConsumeSession#assign} / {@link ConsumeSession#revoke} calls, and the socket's
 * {@code commit} frames and auto-commits.
 *
 * <p>Frames, in the order the socket sends them (all through the connection's one {@link Outbox}):
 * <pre>
 * {"type":"joined","group","memberId","token","resumed"}            first, once
 * {"type":"assigned","memberId","generation","idle","partitions":[{"topic","partition","offset"}]}
 * {"type":"revoked","generation","partitions":[{"topic","partition","offset"}]}
 * {"type":"committed","generation","auto","offsets":[{"topic","partition","offset"}]}  (+ "id" if the commit had one)
 * </pre>
 * An {@code assigned} frame lists every partition the member owns in the generation (none and
 * {@code idle: true}: it waits for a partition to free up) and precedes any record of them. A
 * {@code revoked} frame follows the last record of its partitions, whose {@code offset} is the next
 * one the member would have delivered; the coordinator hands the partitions on only after that
 * frame has been written (with auto-commit, after the positions were committed), so at every
 * moment a partition is delivered by at most one member.
 *
 * <p>Commits run in arrival order on the connection's own worker (a serial slice of a pool that may
 * block), without waiting for one to be durable before taking the next, and are answered in the
 * same order: {@code committed}, or a non-fatal error frame (ILLEGAL_GENERATION for a partition the
 * member does not own in that generation, UNKNOWN_MEMBER_ID, INVALID_REQUEST).
 *
 * <p>Coordinator callbacks arrive under the group's lock: they only queue frames and change the
 * session, and anything that calls the coordinator runs later on the worker. Callbacks that come
 * before the join has returned (the join's own rebalance) are held until the {@code joined} frame
 * is out. Thread safety: thread-safe.
 */
final class GroupMembership implements MemberListener {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final GroupCoordinator coordinator;
    private final ConsumeRequest.GroupOptions options;
    private final Outbox out;
    private final ConsumeSession session;
    private final Scheduler.Worker worker;
    private final String clientAddress;
    /** Next offset after the last record written, per partition: what auto-commit commits. */
    private final Map<TopicPartition, Long> delivered = new ConcurrentHashMap<>();
    /** What auto-commit last committed, per partition. Only touched on the worker. */
    private final Map<TopicPartition, Long> autoCommitted = new HashMap<>();
    private final Object lock = new Object();
    /** Coordinator callbacks held until the joined frame is out; null after. Guarded by {@code lock}. */
    private List<Runnable> held = new ArrayList<>();
    /** The last reply queued: replies are written in the order their commits arrived. Guarded by {@code lock}. */
    private CompletableFuture<Void> replies = CompletableFuture.completedFuture(null);
    private volatile String memberId;
    private volatile String token;
    private volatile int generation;
    private volatile boolean gone;
    private volatile Disposable autoCommitTimer;

    GroupMembership(GroupCoordinator coordinator, ConsumeRequest.GroupOptions options, Outbox out,
                    ConsumeSession session, Scheduler.Worker worker, String clientAddress) {
        this.coordinator = coordinator;
        this.options = options;
        this.out = out;
        this.session = session;
        this.worker = worker;
        this.clientAddress = clientAddress;
    }

    /** What the session reports after each chunk is written. */
    void delivered(Map<TopicPartition, Long> nextOffsets) {
        delivered.putAll(nextOffsets);
    }

    /** Joins (may block: the first join creates the offsets topic), then writes the joined frame. */
    JoinResult join() {
        JoinResult result = coordinator.join(options.group(), new JoinRequest(options.topics(), options.assignor(),
                options.autoOffsetReset(), true, 0, options.resumeToken(), clientAddress, this));
        memberId = result.memberId();
        token = result.token();
        List<Runnable> replay;
        synchronized (lock) {
            JsonByteWriter frame = new JsonByteWriter(256);
            frame.ascii("{\"type\":\"joined\",\"group\":").string(options.group())
                    .ascii(",\"memberId\":").string(result.memberId())
                    .ascii(",\"token\":").string(result.token())
                    .ascii(",\"resumed\":").ascii(Boolean.toString(result.resumed())).ascii("}");
            out.send(frame.toByteArray());
            replay = held;
            held = null;
            replay.forEach(Runnable::run);
        }
        if (options.autoCommit()) {
            long every = options.autoCommitIntervalMs();
            autoCommitTimer = worker.schedulePeriodically(() -> autoCommit(), every, every, TimeUnit.MILLISECONDS);
        }
        return result;
    }

    String token() {
        return token;
    }

    // ---- coordinator callbacks (group lock held: no blocking, no calls back into the coordinator) ----

    @Override
    public void onAssigned(MemberAssignment assignment) {
        event(() -> assigned(assignment));
    }

    @Override
    public CompletionStage<Void> onRevoked(Set<TopicPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        event(() -> revoked(partitions, done));
        return done;
    }

    @Override
    public void onRemoved(ErrorCode reason, String message) {
        gone = true;
        event(() -> {
            session.close();
            out.send(ErrorFrames.error(new TributaryException(reason, message), true, null));
            out.close(ErrorFrames.closeStatus(reason));
        });
    }

    private void event(Runnable action) {
        synchronized (lock) {
            if (held != null) {
                held.add(action);
            } else {
                action.run();
            }
        }
    }

    /** Writes the assigned frame, then starts the partitions the session does not deliver yet. */
    private void assigned(MemberAssignment assignment) {
        generation = assignment.generation();
        Map<TopicPartition, Long> current = session.positions();
        Map<TopicPartition, Long> shown = new TreeMap<>(ORDER);
        Map<TopicPartition, Long> start = new HashMap<>();
        assignment.partitions().forEach((tp, offset) -> {
            Long position = current.get(tp);
            if (position == null || assignment.gained().contains(tp)) {
                start.put(tp, offset);
                delivered.remove(tp);
                shown.put(tp, offset);
            } else {
                shown.put(tp, position);
            }
        });
        JsonByteWriter frame = new JsonByteWriter(256);
        frame.ascii("{\"type\":\"assigned\",\"memberId\":").string(assignment.memberId())
                .ascii(",\"generation\":").number(assignment.generation())
                .ascii(",\"idle\":").ascii(Boolean.toString(assignment.idle()))
                .ascii(",\"partitions\":");
        partitions(frame, shown).ascii("}");
        out.send(frame.toByteArray());
        if (!start.isEmpty()) {
            session.assign(start);
        }
    }

    /**
     * Stops the partitions; once the chunk in flight (if any) is written, commits their positions
     * (auto-commit), writes the revoked frame, and only then releases them to the coordinator.
     */
    private void revoked(Set<TopicPartition> partitions, CompletableFuture<Void> done) {
        int revokedIn = generation;
        Map<TopicPartition, Long> before = new HashMap<>(session.positions());
        session.revoke(partitions).whenComplete((ok, error) -> onWorker(() -> {
            Map<TopicPartition, Long> last = new TreeMap<>(ORDER);
            for (TopicPartition tp : partitions) {
                Long position = session.isClosed() ? delivered.get(tp) : before.get(tp);
                if (position != null) {
                    last.put(tp, position);
                }
            }
            CompletableFuture<Void> committed = options.autoCommit() ? commitChanged(last, revokedIn)
                    : CompletableFuture.completedFuture(null);
            committed.whenComplete((c, e) -> {
                partitions.forEach(tp -> {
                    delivered.remove(tp);
                    autoCommitted.remove(tp);
                });
                JsonByteWriter frame = new JsonByteWriter(256);
                frame.ascii("{\"type\":\"revoked\",\"generation\":").number(revokedIn).ascii(",\"partitions\":");
                Map<TopicPartition, Long> shown = new TreeMap<>(ORDER);
                partitions.forEach(tp -> shown.put(tp, last.getOrDefault(tp, -1L)));
                partitions(frame, shown).ascii("}");
                // Completed on the worker: the coordinator's reaction must not run on the socket's thread.
                out.send(frame.toByteArray()).whenComplete((w, f) -> onWorker(() -> done.complete(null),
                        () -> done.complete(null)));
            });
        }, () -> done.complete(null)));
    }

    // ---- commits ----

    /** A client commit frame: {@code offsets} (required), optional {@code generation} and {@code id}. */
    void commit(JsonNode frame, byte[] rawId) {
        JsonNode offsets = frame.path("offsets");
        if (!offsets.isArray() || offsets.isEmpty()) {
            throw invalid("A commit frame needs 'offsets': [{\"topic\",\"partition\",\"offset\"}]");
        }
        List<PartitionCommit> commits = new ArrayList<>(offsets.size());
        for (JsonNode o : offsets) {
            if (!o.path("topic").isString() || !o.path("partition").canConvertToInt()
                    || !o.path("partition").isIntegralNumber() || !o.path("offset").isIntegralNumber()
                    || !o.path("offset").canConvertToLong()) {
                throw invalid("Each committed offset needs 'topic', 'partition' and 'offset'");
            }
            String metadata = o.path("metadata").isString() ? o.path("metadata").asString() : null;
            commits.add(new PartitionCommit(new TopicPartition(o.path("topic").asString(), o.path("partition").asInt()),
                    o.path("offset").asLong(), metadata));
        }
        JsonNode g = frame.path("generation");
        if (!g.isMissingNode() && !g.isNull() && !(g.isIntegralNumber() && g.canConvertToInt())) {
            throw invalid("'generation' must be a whole number");
        }
        boolean explicit = g.isIntegralNumber();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        queueReply(reply);
        onWorker(() -> write(commits, explicit ? g.asInt() : generation, false, rawId).whenComplete((frameBytes, e) ->
                reply.complete(frameBytes)), () -> reply.complete(ErrorFrames.error(new TributaryException(
                ErrorCode.BROKER_NOT_AVAILABLE, "The connection is closing"), false, rawId)));
    }

    /** Commits on the worker; the future holds the reply frame (committed or error), never fails. */
    private CompletableFuture<byte[]> write(List<PartitionCommit> commits, int commitGeneration, boolean auto,
                                            byte[] rawId) {
        CompletableFuture<Void> written;
        try {
            written = coordinator.commit(options.group(), memberId, token, commitGeneration, commits, clientAddress);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.handle((ok, error) -> {
            if (error != null) {
                return ErrorFrames.error(ErrorFrames.asTributary(error), false, rawId);
            }
            JsonByteWriter frame = new JsonByteWriter(128 + 48 * commits.size());
            frame.ascii("{\"type\":\"committed\"");
            if (rawId != null) {
                frame.ascii(",\"id\":").raw(rawId);
            }
            frame.ascii(",\"generation\":").number(commitGeneration)
                    .ascii(",\"auto\":").ascii(Boolean.toString(auto)).ascii(",\"offsets\":[");
            for (int i = 0; i < commits.size(); i++) {
                PartitionCommit c = commits.get(i);
                if (i > 0) {
                    frame.raw((byte) ',');
                }
                frame.ascii("{\"topic\":").string(c.partition().topic())
                        .ascii(",\"partition\":").number(c.partition().partition())
                        .ascii(",\"offset\":").number(c.offset()).ascii("}");
            }
            return frame.ascii("]}").toByteArray();
        });
    }

    private void queueReply(CompletableFuture<byte[]> reply) {
        synchronized (lock) {
            replies = replies.thenCombine(reply, (previous, frame) -> {
                out.send(frame);
                return null;
            });
        }
    }

    /** Auto-commits the delivered positions of the partitions the member still has (on the worker). */
    private CompletableFuture<Void> autoCommit() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        delivered.forEach((tp, offset) -> {
            if (session.isAssigned(tp)) {
                positions.put(tp, offset);
            }
        });
        return commitChanged(positions, generation);
    }

    /** Commits the positions that changed since the last auto-commit (on the worker); completes when durable. */
    private CompletableFuture<Void> commitChanged(Map<TopicPartition, Long> positions, int commitGeneration) {
        List<PartitionCommit> commits = new ArrayList<>();
        positions.forEach((tp, offset) -> {
            if (!offset.equals(autoCommitted.get(tp))) {
                commits.add(new PartitionCommit(tp, offset, null));
            }
        });
        if (commits.isEmpty() || memberId == null) {
            return CompletableFuture.completedFuture(null);
        }
        commits.sort(Comparator.comparing(PartitionCommit::partition, ORDER));
        CompletableFuture<byte[]> reply = write(commits, commitGeneration, true, null);
        queueReply(reply);
        commits.forEach(c -> autoCommitted.put(c.partition(), c.offset()));
        return reply.thenApply(frame -> null);
    }

    // ---- the end of the connection ----

    /**
     * The socket ended. After a close handshake (either side) the member commits (auto-commit) and
     * leaves at once; a connection that dropped without one stays in the group, delivering
     * nothing, until it resumes or the grace period ends.
     */
    void ended(boolean closedCleanly) {
        Disposable timer = autoCommitTimer;
        if (timer != null) {
            timer.dispose();
        }
        if (gone || memberId == null) {
            worker.dispose();
            return;
        }
        gone = true;
        onWorker(() -> {
            CompletableFuture<Void> committed = closedCleanly && options.autoCommit()
                    ? autoCommit() : CompletableFuture.completedFuture(null);
            committed.whenComplete((ok, error) -> onWorker(() -> {
                try {
                    if (closedCleanly) {
                        coordinator.leave(options.group(), memberId, token);
                    } else {
                        coordinator.disconnect(options.group(), memberId, token);
                    }
                } catch (TributaryException e) {
                    LOG.debug("Member {} of group {} was already gone: {}", memberId, options.group(), e.getMessage());
                }
                worker.dispose();
            }, () -> { }));
        }, worker::dispose);
    }

    /**
     * The same member resumed on another socket: this one stops delivering and closes, and its end
     * no longer speaks for the member.
     */
    void supersede() {
        gone = true;
        Disposable timer = autoCommitTimer;
        if (timer != null) {
            timer.dispose();
        }
        session.close();
        out.send(ErrorFrames.error(new TributaryException(ErrorCode.UNKNOWN_MEMBER_ID,
                "The member resumed on another connection"), true, null));
        out.close(ErrorFrames.closeStatus(ErrorCode.UNKNOWN_MEMBER_ID));
    }

    private void onWorker(Runnable task, Runnable ifClosed) {
        try {
            worker.schedule(task);
        } catch (RejectedExecutionException e) {
            ifClosed.run();
        }
    }

    private static JsonByteWriter partitions(JsonByteWriter frame, Map<TopicPartition, Long> positions) {
        frame.raw((byte) '[');
        boolean first = true;
        for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
            if (!first) {
                frame.raw((byte) ',');
            }
            first = false;
            frame.ascii("{\"topic\":").string(e.getKey().topic())
                    .ascii(",\"partition\":").number(e.getKey().partition());
            if (e.getValue() >= 0) {
                frame.ascii(",\"offset\":").number(e.getValue());
            }
            frame.raw((byte) '}');
        }
        return frame.raw((byte) ']');
    }

    private static TributaryException invalid(String detail) {
        return new TributaryException(ErrorCode.INVALID_REQUEST, detail);
    }
}
