package io.tributary.replication;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that cancels while a call runs on {@link LogIoScheduler} does not interrupt the call
 * (an interrupt during file I/O would close the log's channel), whether the call was moved there
 * with {@code subscribeOn} or with {@code publishOn}.
 */
class LogIoSchedulerTest {

    @Test
    void cancellingASubscribeOnDoesNotInterruptTheRunningCall() throws Exception {
        assertNotInterruptedOnCancel(call -> Mono.<Void>fromRunnable(call).subscribeOn(LogIoScheduler.get()));
    }

    @Test
    void cancellingAPublishOnDoesNotInterruptTheRunningCall() throws Exception {
        assertNotInterruptedOnCancel(call -> Flux.just(1).publishOn(LogIoScheduler.get()).doOnNext(i -> call.run()).then());
    }

    private static void assertNotInterruptedOnCancel(Function<Runnable, Mono<Void>> onScheduler) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Runnable call = () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.complete(null);
        };

        Disposable subscription = onScheduler.apply(call).subscribe();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        subscription.dispose();
        release.countDown();
        finished.get(30, TimeUnit.SECONDS);

        assertThat(interrupted).isFalse();
    }
}
