package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may deliver each partition, as the members' listeners see it, checked at every assignment:
 * a member starts delivering a partition when it is assigned and stops when it confirms a
 * revocation (or is removed). Two members delivering one partition fails the test at once.
 */
final class DeliveryLedger {

    private final Map<TopicPartition, String> deliverer = new HashMap<>();
    final List<String> violations = new ArrayList<>();

    synchronized void start(String member, Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            String current = deliverer.get(tp);
            if (current != null && !current.equals(member)) {
                violations.add(tp + " assigned to " + member + " while " + current + " still delivers it");
            }
            deliverer.put(tp, member);
        }
    }

    synchronized void stop(String member, Set<TopicPartition> partitions) {
        partitions.forEach(tp -> deliverer.remove(tp, member));
    }

    synchronized void stopAll(String member) {
        deliverer.values().removeIf(member::equals);
    }

    /** A member listener that records what it is told; revocations complete at once unless held. */
    final class Member implements MemberListener {
        final String name;
        volatile String id;
        volatile MemberAssignment last;
        final List<MemberAssignment> assignments = new ArrayList<>();
        final List<CompletableFuture<Void>> heldRevocations = new ArrayList<>();
        volatile boolean holdRevocations;
        volatile ErrorCode removed;

        Member(String name) {
            this.name = name;
        }

        @Override
        public synchronized void onAssigned(MemberAssignment assignment) {
            id = assignment.memberId();
            last = assignment;
            assignments.add(assignment);
            start(assignment.memberId(), assignment.partitions().keySet());
        }

        @Override
        public synchronized CompletionStage<Void> onRevoked(Set<TopicPartition> partitions) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> stopped = done.thenRun(() -> stop(id, partitions));
            if (holdRevocations) {
                heldRevocations.add(done);
            } else {
                done.complete(null);
            }
            return stopped;
        }

        @Override
        public void onRemoved(ErrorCode reason, String message) {
            removed = reason;
            if (id != null) {
                stopAll(id);
            }
        }

        void releaseHeld() {
            List<CompletableFuture<Void>> held;
            synchronized (this) {
                held = List.copyOf(heldRevocations);
                heldRevocations.clear();
            }
            held.forEach(f -> f.complete(null));
        }

        Set<TopicPartition> partitions() {
            return last == null ? Set.of() : last.partitions().keySet();
        }
    }
}
