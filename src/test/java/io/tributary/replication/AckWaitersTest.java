package io.tributary.replication;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckWaitersTest {

    private final AckWaiters waiters = new AckWaiters();
    private final AtomicLong highWatermark = new AtomicLong();

    @Test
    void waitersCompleteInOffsetOrderAsTheHighWatermarkPassesThem() {
        CompletableFuture<Void> at5 = waiters.await(5, highWatermark::get, 60_000);
        CompletableFuture<Void> at3 = waiters.await(3, highWatermark::get, 60_000);

        waiters.completeUpTo(4);
        assertThat(at3).isCompleted();
        assertThat(at5).isNotDone();
        waiters.completeUpTo(5);
        assertThat(at5).isCompleted();
        assertThat(waiters.size()).isZero();
    }

    @Test
    void aWaiterAlreadyPassedCompletesAtOnce() {
        highWatermark.set(10);
        assertThat(waiters.await(10, highWatermark::get, 60_000)).isCompleted();
    }

    @Test
    void failAllFailsEveryWaiterWithTheReason() {
        CompletableFuture<Void> waiting = waiters.await(5, highWatermark::get, 60_000);

        waiters.failAll(new TributaryException(ErrorCode.NOT_LEADER, "gone"));

        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TributaryException.class);
        assertThat(waiters.size()).isZero();
    }

    @Test
    void aWaiterThatTimesOutFailsWithRequestTimedOutAndIsForgotten() {
        CompletableFuture<Void> waiting = waiters.await(5, highWatermark::get, 1);

        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(TributaryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT));
        assertThat(waiters.size()).isZero();
    }
}
