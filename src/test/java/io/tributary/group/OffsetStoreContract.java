package io.tributary.group;

import io.tributary.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link OffsetStore} does, run against each implementation: the latest commit per
 * partition wins, groups are independent, deletion forgets a group, concurrent commits all land,
 * and a store opened again over the same storage sees the same offsets.
 */
abstract class OffsetStoreContract {

    /** The store under test. */
    abstract OffsetStore store();

    /** A new store over the same storage (for an in-memory store: the same one). */
    abstract OffsetStore reopen();

    private final String group = "contract-" + UUID.randomUUID();
    private final TopicPartition t0 = new TopicPartition("orders", 0);
    private final TopicPartition t1 = new TopicPartition("orders", 1);

    private static Map<TopicPartition, OffsetAndMetadata> offsets(TopicPartition tp, long offset) {
        return Map.of(tp, new OffsetAndMetadata(offset, "meta-" + offset, 1_000 + offset));
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(OffsetStore store, String groupId) {
        assertThat(store.coordinatorFor(groupId).local()).isTrue();
        return store.committed(groupId);
    }

    @Test
    void theLatestCommitOfEachPartitionWins() {
        OffsetStore store = store();
        committed(store, group);
        store.commit(group, offsets(t0, 5)).join();
        store.commit(group, offsets(t1, 3)).join();
        store.commit(group, offsets(t0, 9)).join();

        assertThat(committed(store, group)).containsEntry(t0, new OffsetAndMetadata(9, "meta-9", 1_009))
                .containsEntry(t1, new OffsetAndMetadata(3, "meta-3", 1_003)).hasSize(2);
        assertThat(store.groups()).contains(group);
    }

    @Test
    void groupsAreIndependentAndDeletingOneForgetsOnlyIt() {
        OffsetStore store = store();
        String other = group + "-other";
        committed(store, group);
        committed(store, other);
        store.commit(group, offsets(t0, 1)).join();
        store.commit(other, offsets(t0, 2)).join();

        store.deleteGroup(group).join();

        assertThat(committed(store, group)).isEmpty();
        assertThat(store.groups()).doesNotContain(group).contains(other);
        assertThat(committed(store, other).get(t0).offset()).isEqualTo(2);
    }

    @Test
    void concurrentCommitsAllLand() throws Exception {
        OffsetStore store = store();
        committed(store, group);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> commits = new ArrayList<>();
            for (int p = 0; p < 200; p++) {
                int partition = p;
                commits.add(CompletableFuture.supplyAsync(() -> store.commit(group,
                        offsets(new TopicPartition("orders", partition), partition)), threads).thenCompose(f -> f));
            }
            CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committed(store, group);
        assertThat(committed).hasSize(200);
        committed.forEach((tp, o) -> assertThat(o.offset()).isEqualTo(tp.partition()));
    }

    @Test
    void aReopenedStoreSeesTheSameOffsetsAndNoDeletedOnes() {
        OffsetStore store = store();
        String deleted = group + "-deleted";
        committed(store, group);
        committed(store, deleted);
        store.commit(group, offsets(t0, 4)).join();
        store.commit(group, offsets(t0, 8)).join();
        store.commit(group, offsets(t1, 2)).join();
        store.commit(deleted, offsets(t0, 1)).join();
        store.deleteGroup(deleted).join();

        OffsetStore reopened = reopen();

        assertThat(committed(reopened, group)).containsEntry(t0, new OffsetAndMetadata(8, "meta-8", 1_008))
                .containsEntry(t1, new OffsetAndMetadata(2, "meta-2", 1_002)).hasSize(2);
        assertThat(committed(reopened, deleted)).isEmpty();
    }
}
