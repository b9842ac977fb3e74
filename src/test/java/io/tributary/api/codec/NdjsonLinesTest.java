package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NdjsonLinesTest {

    private final NdjsonLines lines = new NdjsonLines(64);

    private String append(String chunk) {
        return new String(lines.append(chunk.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void wholeLinesComeOutAndTheUnfinishedTailWaitsForTheNextChunk() {
        assertThat(append("{\"value\":1}\n{\"val")).isEqualTo("{\"value\":1}\n");
        assertThat(append("ue\":2")).isEmpty();
        assertThat(append("}\n{\"value\":3}\n{")).isEqualTo("{\"value\":2}\n{\"value\":3}\n");
        assertThat(new String(lines.finish(), StandardCharsets.UTF_8)).isEqualTo("{");
        assertThat(lines.finish()).isEmpty();
    }

    @Test
    void aStreamWithoutAFinalNewlineEndsWithItsLastLine() {
        assertThat(append("{\"value\":1}")).isEmpty();
        assertThat(new String(lines.finish(), StandardCharsets.UTF_8)).isEqualTo("{\"value\":1}");
    }

    @Test
    void aChunkEndingInANewlineLeavesNoTail() {
        assertThat(append("{\"value\":1}\n")).isEqualTo("{\"value\":1}\n");
        assertThat(lines.finish()).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeItEnds() {
        String half = "x".repeat(40);
        append("{\"value\":1}\n" + half);
        assertThatThrownBy(() -> append(half))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE));
    }
}
