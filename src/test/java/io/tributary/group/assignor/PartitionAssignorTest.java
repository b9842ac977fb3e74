package io.tributary.group.assignor;

import io.tributary.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract every assignor keeps, and what distinguishes each. */
class PartitionAssignorTest {

    private static Map<String, Set<String>> members(int count, String... topics) {
        Map<String, Set<String>> subs = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            subs.put(String.format("m%02d", i), Set.of(topics));
        }
        return subs;
    }

    private static void assertValid(Map<String, Set<String>> subs, Map<String, Integer> topics,
                                    Map<String, List<TopicPartition>> result) {
        assertThat(result.keySet()).isEqualTo(subs.keySet());
        Set<TopicPartition> seen = new HashSet<>();
        result.forEach((member, parts) -> parts.forEach(tp -> {
            assertThat(seen.add(tp)).as("%s assigned twice", tp).isTrue();
            assertThat(subs.get(member)).contains(tp.topic());
        }));
        int expected = subs.values().stream().flatMap(Set::stream).distinct().mapToInt(t -> topics.getOrDefault(t, 0)).sum();
        assertThat(seen).hasSize(expected);
    }

    private static int spread(Map<String, List<TopicPartition>> result) {
        int max = result.values().stream().mapToInt(List::size).max().orElse(0);
        int min = result.values().stream().mapToInt(List::size).min().orElse(0);
        return max - min;
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "round-robin", "sticky"})
    void threeMembersOnSixPartitionsGetTwoEach(String name) {
        var subs = members(3, "orders");
        var result = PartitionAssignor.named(name).assign(subs, Map.of("orders", 6), Map.of());
        assertValid(subs, Map.of("orders", 6), result);
        assertThat(result.values()).allSatisfy(parts -> assertThat(parts).hasSize(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "round-robin", "sticky"})
    void moreMembersThanPartitionsLeavesSomeIdle(String name) {
        var subs = members(5, "orders");
        var result = PartitionAssignor.named(name).assign(subs, Map.of("orders", 3), Map.of());
        assertValid(subs, Map.of("orders", 3), result);
        assertThat(result.values().stream().filter(List::isEmpty).count()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "round-robin", "sticky"})
    void randomSubscriptionsAlwaysGiveAValidAssignment(String name) {
        Random random = new Random(42);
        PartitionAssignor assignor = PartitionAssignor.named(name);
        Map<String, List<TopicPartition>> previous = Map.of();
        for (int round = 0; round < 200; round++) {
            Map<String, Integer> topics = new HashMap<>();
            for (int t = 0; t < 1 + random.nextInt(4); t++) {
                topics.put("t" + t, random.nextInt(8));
            }
            Map<String, Set<String>> subs = new TreeMap<>();
            for (int m = 0; m < 1 + random.nextInt(6); m++) {
                Set<String> chosen = new HashSet<>();
                topics.keySet().forEach(t -> {
                    if (random.nextBoolean()) {
                        chosen.add(t);
                    }
                });
                subs.put("m" + m, chosen);
            }
            var result = assignor.assign(subs, topics, previous);
            assertValid(subs, topics, result);
            previous = result;
        }
    }

    @Test
    void rangeGivesContiguousRangesAndExtrasToTheFirstMembers() {
        var result = new RangeAssignor().assign(members(3, "t"), Map.of("t", 7), Map.of());
        assertThat(result.get("m00")).extracting(TopicPartition::partition).containsExactly(0, 1, 2);
        assertThat(result.get("m01")).extracting(TopicPartition::partition).containsExactly(3, 4);
        assertThat(result.get("m02")).extracting(TopicPartition::partition).containsExactly(5, 6);
    }

    @Test
    void roundRobinDealsPartitionsInTurn() {
        var result = new RoundRobinAssignor().assign(members(2, "a", "b"), Map.of("a", 2, "b", 1), Map.of());
        assertThat(result.get("m00")).containsExactly(new TopicPartition("a", 0), new TopicPartition("b", 0));
        assertThat(result.get("m01")).containsExactly(new TopicPartition("a", 1));
    }

    @Test
    void stickyMovesOnlyWhatBalanceRequiresWhenMembersComeAndGo() {
        StickyAssignor sticky = new StickyAssignor();
        Map<String, Integer> topics = Map.of("orders", 100);
        var ten = sticky.assign(members(10, "orders"), topics, Map.of());
        assertThat(spread(ten)).isZero();

        var subsEleven = members(11, "orders");
        var eleven = sticky.assign(subsEleven, topics, ten);
        assertValid(subsEleven, topics, eleven);
        assertThat(spread(eleven)).isLessThanOrEqualTo(1);
        assertThat(moved(ten, eleven)).isEqualTo(9);

        var subsNine = new TreeMap<>(members(11, "orders"));
        subsNine.remove("m03");
        subsNine.remove("m07");
        var nine = sticky.assign(subsNine, topics, eleven);
        assertValid(subsNine, topics, nine);
        assertThat(spread(nine)).isLessThanOrEqualTo(1);
        int orphaned = eleven.get("m03").size() + eleven.get("m07").size();
        assertThat(moved(eleven, nine)).isEqualTo(orphaned);
    }

    /** Partitions whose owner changed between two assignments (partitions of departed members count). */
    private static int moved(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        Map<TopicPartition, String> owner = new HashMap<>();
        before.forEach((m, parts) -> parts.forEach(tp -> owner.put(tp, m)));
        List<TopicPartition> changed = new ArrayList<>();
        after.forEach((m, parts) -> parts.forEach(tp -> {
            if (!m.equals(owner.get(tp))) {
                changed.add(tp);
            }
        }));
        return changed.size();
    }
}
