package io.tributary.api.ws;

import io.tributary.common.TopicPartition;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the WebSocket members of groups are told and deliver, as their clients see it. A member
 * holds a partition from the {@code assigned} frame that lists it until the {@code revoked} frame
 * that names it (or until its socket is closed or dropped), which makes one holding span the
 * generations from the assignment's to the revocation's (or the last the member saw). Checked:
 * <ul>
 *   <li>at every {@code records} frame, that its member holds every partition in it (each socket's
 *       frames arrive in the order they were sent);</li>
 *   <li>that no two members' holdings of a partition share a generation: the broker hands a
 *       partition on only after its holder's revoked frame was written, in a later generation.
 *       This is checked once every frame is in, because frames of different sockets may reach
 *       the client in another order than they were written.</li>
 * </ul>
 * Every member's socket runs on one client event loop. Violations are collected, not thrown (the
 * frame hook runs on the loop).
 */
final class GroupLedger implements AutoCloseable {

    private final LoopResources loop = LoopResources.create("ws-group-test", 1, true);
    private final HttpClient http = HttpClient.create().runOn(loop);
    /** Every holding: who held which partition over which generations ({@code to} null: still held). */
    private final List<Holding> holdings = new ArrayList<>();
    /** Members whose client has started a close: frames still in flight to them are not checked. */
    private final Set<String> closing = new HashSet<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Every control frame in arrival order, to explain a violation. */
    final List<String> log = new CopyOnWriteArrayList<>();

    /** Connects a member of {@code group} to {@code /ws/v1/consume?group=...&topics=...&extra}. */
    Member join(int port, String name, String group, String topics, String extraQuery) {
        Member member = new Member(name);
        String query = "/ws/v1/consume?group=" + group + "&topics=" + topics + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        member.client = WsTestClient.connect(http, port, query, member::onFrame);
        return member;
    }

    /** One client's holding; a member that resumed on a new socket is the same member id. */
    private static final class Holding {
        final String member;
        final String memberId;
        final TopicPartition partition;
        final int from;
        Integer to;

        Holding(String member, String memberId, TopicPartition partition, int from) {
            this.member = member;
            this.memberId = memberId;
            this.partition = partition;
            this.from = from;
        }

        boolean overlaps(Holding other) {
            int end = to == null ? Integer.MAX_VALUE : to;
            int otherEnd = other.to == null ? Integer.MAX_VALUE : other.to;
            return from <= otherEnd && other.from <= end;
        }

        @Override
        public String toString() {
            return member + " " + partition + " generations " + from + ".." + (to == null ? "" : to);
        }
    }

    private synchronized void assigned(Member member, int generation, Set<TopicPartition> now) {
        if (closing.contains(member.name)) {
            return;
        }
        for (TopicPartition tp : now) {
            if (!member.partitions.contains(tp)) {
                holdings.add(new Holding(member.name, member.memberId, tp, generation));
            }
        }
        for (TopicPartition tp : member.partitions) {
            if (!now.contains(tp)) {
                violations.add(member.name + " lost " + tp + " without a revoked frame");
            }
        }
    }

    private synchronized void revoked(Member member, int generation, Set<TopicPartition> partitions) {
        partitions.forEach(tp -> end(member, tp, generation));
    }

    private void end(Member member, TopicPartition tp, int generation) {
        for (Holding h : holdings) {
            if (h.member.equals(member.name) && h.partition.equals(tp) && h.to == null) {
                h.to = generation;
            }
        }
    }

    private synchronized void delivered(Member member, TopicPartition tp) {
        if (!member.partitions.contains(tp) && !closing.contains(member.name)) {
            violations.add(member.name + " delivered " + tp + ", which it does not hold");
        }
    }

    private synchronized void closing(Member member) {
        closing.add(member.name);
    }

    /** The member's socket is gone: it delivers nothing more; its holdings end at the last generation it saw. */
    synchronized void gone(Member member) {
        member.partitions.forEach(tp -> end(member, tp, member.generation));
    }

    /** What went wrong: deliveries outside a holding, and holdings of one partition by two members in one generation. */
    synchronized List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        for (int i = 0; i < holdings.size(); i++) {
            for (int j = i + 1; j < holdings.size(); j++) {
                Holding a = holdings.get(i);
                Holding b = holdings.get(j);
                if (a.partition.equals(b.partition) && !a.memberId.equals(b.memberId) && a.overlaps(b)) {
                    all.add("overlapping holdings: " + a + " and " + b);
                }
            }
        }
        return all;
    }

    @Override
    public void close() {
        loop.disposeLater().block(WsTestClient.WAIT);
    }

    static Set<TopicPartition> partitions(JsonNode frame) {
        Set<TopicPartition> partitions = new HashSet<>();
        frame.path("partitions").forEach(p -> partitions.add(new TopicPartition(p.path("topic").asString(),
                p.path("partition").asInt())));
        return partitions;
    }

    /** One WebSocket member as its client sees it. */
    final class Member implements AutoCloseable {
        final String name;
        WsTestClient client;
        volatile String memberId;
        volatile String token;
        volatile int generation;
        volatile Set<TopicPartition> partitions = Set.of();
        final List<JsonNode> assignedFrames = new CopyOnWriteArrayList<>();
        final List<JsonNode> revokedFrames = new CopyOnWriteArrayList<>();
        final List<JsonNode> replies = new CopyOnWriteArrayList<>();
        /** Offsets received, per partition, in arrival order. */
        final Map<TopicPartition, List<Long>> offsets = new ConcurrentHashMap<>();

        Member(String name) {
            this.name = name;
        }

        private void onFrame(JsonNode frame) {
            if (!frame.path("type").asString().equals("records")) {
                log.add(name + " " + frame);
            }
            switch (frame.path("type").asString()) {
                case "joined" -> {
                    memberId = frame.path("memberId").asString();
                    token = frame.path("token").asString();
                }
                case "assigned" -> {
                    Set<TopicPartition> now = partitions(frame);
                    generation = frame.path("generation").asInt();
                    assigned(this, generation, now);
                    partitions = Set.copyOf(now);
                    assignedFrames.add(frame);
                }
                case "revoked" -> {
                    Set<TopicPartition> lost = partitions(frame);
                    revoked(this, frame.path("generation").asInt(), lost);
                    Set<TopicPartition> left = new HashSet<>(partitions);
                    left.removeAll(lost);
                    partitions = Set.copyOf(left);
                    revokedFrames.add(frame);
                }
                case "records" -> frame.path("records").forEach(r -> {
                    TopicPartition tp = new TopicPartition(r.path("topic").asString(), r.path("partition").asInt());
                    delivered(this, tp);
                    offsets.computeIfAbsent(tp, k -> new CopyOnWriteArrayList<>()).add(r.path("offset").asLong());
                });
                default -> replies.add(frame);
            }
        }

        int received() {
            return offsets.values().stream().mapToInt(List::size).sum();
        }

        List<Long> offsets(TopicPartition tp) {
            return new ArrayList<>(offsets.getOrDefault(tp, List.of()));
        }

        void send(String json) {
            client.send(json);
        }

        /** Ends the connection without a close frame. */
        void drop() {
            client.drop();
            gone(this);
        }

        @Override
        public void close() {
            closing(this);
            gone(this);
            client.close();
            client.awaitClose();
        }
    }
}
