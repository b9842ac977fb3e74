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
 * with {@code subscribeOn} or with {@code publishOn}; a serial scheduler runs its tasks one at a
 * time in the order given.
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

    @Test
    void cancellingOnTheSerialSchedulerDoesNotInterruptTheRunningCall() throws Exception {
        reactor.core.scheduler.Scheduler serial = LogIoScheduler.serial();
        assertNotInterruptedOnCancel(call -> Mono.<Void>fromRunnable(call).subscribeOn(serial));
    }

    @Test
    void theSerialSchedulerRunsTasksOneAtATimeInTheOrderGiven() throws Exception {
        reactor.core.scheduler.Scheduler serial = LogIoScheduler.serial();
        java.util.List<Integer> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxRunning = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int n = i;
            serial.schedule(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                Thread.yield();
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isEqualTo(java.util.stream.IntStream.range(0, 200).boxed().toList());
        assertThat(maxRunning).hasValue(1);
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
