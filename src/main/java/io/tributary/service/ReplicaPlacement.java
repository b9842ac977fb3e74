package io.tributary.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places partition replicas on brokers the way Kafka does without racks: the first replica of
 * successive partitions walks round the sorted broker list from a start index (spreading leaders
 * evenly), and followers sit at a shift from their leader that changes once per full round (so
 * follower load spreads too).
 */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /**
     * Replica lists for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @param brokers live broker ids, sorted; at least {@code replicationFactor} of them
     */
    static Map<Integer, List<Integer>> assign(int firstPartition, int count, int replicationFactor, List<Integer> brokers,
                                              int start) {
        int n = brokers.size();
        int startIndex = start % n;
        int baseShift = n > 1 ? (start / n) % (n - 1) : 0;
        Map<Integer, List<Integer>> assignment = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int p = firstPartition + i;
            int shift = baseShift + p / n;
            int first = (p + startIndex) % n;
            List<Integer> replicas = new ArrayList<>();
            replicas.add(brokers.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                int offset = 1 + (shift + j) % (n - 1);
                replicas.add(brokers.get((first + offset) % n));
            }
            assignment.put(p, replicas);
        }
        return assignment;
    }
}
