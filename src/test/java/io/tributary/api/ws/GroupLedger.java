package io.tributary.api.ws;

import io.tributary.common.TopicPartition;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the WebSocket members of groups are told and deliver, as their clients see it, checked at
 * every frame: a member holds a partition from the {@code assigned} frame that lists it until the
 * {@code revoked} frame that names it (or until its socket is closed or dropped), and a
 * {@code records} frame may only carry partitions its member holds while no other member of the
 * group holds them. Every member's socket runs on one client event loop, so frames are checked in
 * the order they reach the client. Violations are collected, not thrown (the hook runs on the loop).
 */
final class GroupLedger implements AutoCloseable {

    private final LoopResources loop = LoopResources.create("ws-group-test", 1, true);
    private final HttpClient http = HttpClient.create().runOn(loop);
    private final Map<TopicPartition, String> holders = new HashMap<>();
    /** Members whose client has started a close: they may lose partitions without a revoked frame. */
    private final Set<String> closing = new HashSet<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    /** Every control frame in arrival order, to explain a violation. */
    final List<String> log = new CopyOnWriteArrayList<>();

    /** Connects a member of {@code group} to {@code /ws/v1/consume?group=...&topics=...&extra}. */
    Member join(int port, String name, String group, String topics, String extraQuery) {
        Member member = new Member(name);
        String query = "/ws/v1/consume?group=" + group + "&topics=" + topics + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        member.client = WsTestClient.connect(http, port, query, member::onFrame);
        return member;
    }

    private synchronized void assigned(Member member, Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            String holder = holders.get(tp);
            if (holder != null && !holder.equals(member.name) && !closing.contains(holder)) {
                violations.add(member.name + " was assigned " + tp + " while " + holder + " holds it");
            }
            holders.put(tp, member.name);
        }
        for (Map.Entry<TopicPartition, String> e : holders.entrySet()) {
            if (e.getValue().equals(member.name) && !partitions.contains(e.getKey())) {
                violations.add(member.name + " lost " + e.getKey() + " without a revoked frame");
            }
        }
    }

    private synchronized void revoked(Member member, Set<TopicPartition> partitions) {
        partitions.forEach(tp -> holders.remove(tp, member.name));
    }

    private synchronized void delivered(Member member, TopicPartition tp) {
        String holder = holders.get(tp);
        if (!member.name.equals(holder) && !closing.contains(member.name)) {
            violations.add(member.name + " delivered " + tp + " held by " + holder);
        }
    }

    private synchronized void closing(Member member) {
        closing.add(member.name);
    }

    /** The member's socket is gone: it delivers nothing more. */
    synchronized void gone(Member member) {
        holders.values().removeIf(member.name::equals);
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
                    assigned(this, now);
                    generation = frame.path("generation").asInt();
                    partitions = Set.copyOf(now);
                    assignedFrames.add(frame);
                }
                case "revoked" -> {
                    Set<TopicPartition> lost = partitions(frame);
                    revoked(this, lost);
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
            client.close();
            client.awaitClose();
            gone(this);
        }
    }
}
