package io.tributary.replication;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class HighWatermarkSignalTest {

    @Test
    void fireCompletesEveryWaiterTakenBeforeIt() {
        HighWatermarkSignal signal = new HighWatermarkSignal();
        CompletableFuture<Void> first = signal.nextAdvance();
        CompletableFuture<Void> second = signal.nextAdvance();

        signal.fire();

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(signal.nextAdvance()).isNotDone();
    }

    @Test
    void aWaiterThatGivesUpDoesNotWakeTheOthers() {
        HighWatermarkSignal signal = new HighWatermarkSignal();
        CompletableFuture<Void> timedOut = signal.nextAdvance();
        timedOut.completeExceptionally(new TimeoutException());
        signal.nextAdvance().cancel(false);

        CompletableFuture<Void> later = signal.nextAdvance();
        assertThat(later).isNotDone();

        signal.fire();
        assertThat(later).isCompleted();
    }
}
