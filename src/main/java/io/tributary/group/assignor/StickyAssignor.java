package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sticky assignor: balanced like round robin, but a partition stays with the member that had it
 * in the previous generation whenever balance allows, so a rebalance moves as few partitions as
 * possible.
 *
 * <p>Rule: with {@code P} partitions and {@code M} members, every member ends with
 * {@code floor(P/M)} or {@code ceil(P/M)} partitions (among the topics it subscribes to). A member
 * first keeps its previous partitions that still exist and that it still subscribes to, up to its
 * quota; what is left goes, in partition order, to the eligible member with the fewest partitions
 * (ties by member id). With a single topic subscription for everyone this is optimal; with mixed
 * subscriptions it stays valid and close to balanced.
 */
public final class StickyAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "sticky";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Set<String>> subscriptions,
                                                    Map<String, Integer> partitionsPerTopic,
                                                    Map<String, List<TopicPartition>> previous) {
        Map<String, List<TopicPartition>> result = Assignments.emptyFor(subscriptions);
        if (result.isEmpty()) {
            return result;
        }
        List<TopicPartition> all = Assignments.allSubscribed(subscriptions, partitionsPerTopic);
        Set<TopicPartition> existing = new HashSet<>(all);
        int members = result.size();
        int floor = all.size() / members;
        int ceilings = all.size() % members;
        Set<TopicPartition> taken = new HashSet<>();
        // Keep previous partitions, largest previous owners first so ceiling slots go to them.
        List<String> byPreviousSize = new ArrayList<>(result.keySet());
        byPreviousSize.sort(Comparator.comparingInt((String m) -> -previous.getOrDefault(m, List.of()).size())
                .thenComparing(m -> m));
        for (String member : byPreviousSize) {
            int quota = floor + (ceilings > 0 ? 1 : 0);
            List<TopicPartition> kept = result.get(member);
            for (TopicPartition tp : previous.getOrDefault(member, List.of())) {
                if (kept.size() >= quota) {
                    break;
                }
                if (existing.contains(tp) && subscriptions.get(member).contains(tp.topic()) && taken.add(tp)) {
                    kept.add(tp);
                }
            }
            if (kept.size() > floor && ceilings > 0) {
                ceilings--;
            }
        }
        for (TopicPartition tp : all) {
            if (taken.contains(tp)) {
                continue;
            }
            String target = null;
            for (Map.Entry<String, List<TopicPartition>> e : result.entrySet()) {
                if (subscriptions.get(e.getKey()).contains(tp.topic())
                        && (target == null || e.getValue().size() < result.get(target).size())) {
                    target = e.getKey();
                }
            }
            if (target != null) {
                result.get(target).add(tp);
                taken.add(tp);
            }
        }
        result.values().forEach(list -> list.sort(Assignments.ORDER));
        return result;
    }
}
