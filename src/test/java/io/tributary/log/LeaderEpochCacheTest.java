package io.tributary.log;

import io.tributary.log.checkpoint.LeaderEpochCheckpointFile;
import io.tributary.log.checkpoint.LeaderEpochCheckpointFile.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    private LeaderEpochCache load() throws IOException {
        return LeaderEpochCache.load(new LeaderEpochCheckpointFile(dir));
    }

    @Test
    void entriesSurviveAReload() throws IOException {
        LeaderEpochCache cache = load();
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.assign(3, 25);

        assertThat(load().entries()).containsExactly(new Entry(0, 0), new Entry(2, 10), new Entry(3, 25));
        assertThat(Files.readString(dir.resolve(LeaderEpochCheckpointFile.FILE_NAME))).isEqualTo("0\n3\n0 0\n2 10\n3 25\n");
    }

    @Test
    void staleOrUnknownEpochsAddNothing() throws IOException {
        LeaderEpochCache cache = load();
        cache.assign(-1, 0);
        cache.assign(4, 5);
        cache.assign(3, 9);
        cache.assign(4, 12);

        assertThat(cache.entries()).containsExactly(new Entry(4, 5));
    }

    @Test
    void aNewEpochAtTheSameStartReplacesTheEmptyOne() throws IOException {
        LeaderEpochCache cache = load();
        cache.assign(1, 7);
        cache.assign(2, 7);

        assertThat(cache.entries()).containsExactly(new Entry(2, 7));
    }

    @Test
    void endOffsetIsTheStartOfTheNextEpochOrTheLogEnd() throws IOException {
        LeaderEpochCache cache = load();
        cache.assign(1, 0);
        cache.assign(4, 10);

        assertThat(cache.endOffsetFor(0, 30)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(1, 30)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(3, 30)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(4, 30)).isEqualTo(new EpochEndOffset(4, 30));
        assertThat(cache.endOffsetFor(9, 30)).isEqualTo(new EpochEndOffset(4, 30));
    }

    @Test
    void truncationFromTheEndIsPersisted() throws IOException {
        LeaderEpochCache cache = load();
        cache.assign(1, 0);
        cache.assign(4, 10);
        cache.truncateFromEnd(10);

        assertThat(load().entries()).containsExactly(new Entry(1, 0));
        cache.clear();
        assertThat(load().entries()).isEmpty();
    }

    @Test
    void outOfOrderEntriesAreDroppedOnLoad() throws IOException {
        new LeaderEpochCheckpointFile(dir).write(List.of(new Entry(1, 0), new Entry(3, 20), new Entry(2, 30)));

        assertThat(load().entries()).containsExactly(new Entry(1, 0), new Entry(3, 20));
    }

    @Test
    void malformedCheckpointIsAnIoError() throws IOException {
        Files.writeString(dir.resolve(LeaderEpochCheckpointFile.FILE_NAME), "0\n2\n1 0\n");

        assertThatThrownBy(this::load).isInstanceOf(IOException.class);
    }
}
