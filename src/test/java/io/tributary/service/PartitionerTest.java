package io.tributary.service;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionerTest {

    /** Hashes and 6-partition placements computed with Kafka's own {@code Utils.murmur2}. */
    @ParameterizedTest
    @CsvSource({
            "21, -973932308, 0",
            "foobar, -790332482, 0",
            "a-little-bit-long-string, -985981536, 2",
            "a-little-bit-longer-string, -1486304829, 5",
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8, -58897971, 5",
            "abc, 479470107, 3",
            "user-1, 1404122828, 2",
            "user-2, -324981792, 2",
            "x, 2121525046, 4",
    })
    void keysLandWhereKafkasDefaultPartitionerPutsThem(String key, int hash, int partitionOfSix) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertThat(Partitioner.murmur2(bytes)).isEqualTo(hash);
        assertThat(Partitioner.partitionForKey(bytes, 6)).isEqualTo(partitionOfSix);
    }

    @Test
    void emptyKeyHashesLikeKafka() {
        assertThat(Partitioner.murmur2(new byte[0])).isEqualTo(275646681);
    }

    @Test
    void recordsWithoutKeysSpreadEvenly() {
        Partitioner partitioner = new Partitioner();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            counts.merge(partitioner.nextUnkeyed(6), 1, Integer::sum);
        }
        assertThat(counts).hasSize(6).allSatisfy((p, n) -> assertThat(n).isEqualTo(100));
    }
}
