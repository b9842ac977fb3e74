package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tributary.log.LogTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit under {@link FlushPolicy#ON_ACK}: an append is acknowledged only after an fsync that
 * covers it, and appends that arrive while one fsync runs share the next. Forces are counted by
 * {@link FaultyFileChannel} (with no fault switched on), and can be held to stage the arrivals.
 */
class LogFlusherTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    private final FaultyFileChannel.Faults forces = new FaultyFileChannel.Faults();
    private LogManager manager;

    @BeforeEach
    void start() {
        manager = new LogManager(LogManagerConfig.of(dir, FlushPolicy.ON_ACK), topic -> LogConfig.defaults(),
                new MockTime(), forces.opener());
        manager.startup();
    }

    @AfterEach
    void stop() {
        forces.releaseForces();
        manager.close();
    }

    @Test
    void anAppendIsAcknowledgedOnlyAfterTheFsyncThatCoversIt() throws Exception {
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, LogConfig.defaults());
        log.append(batch(0, 1), 0).get();
        forces.holdForces();

        CompletableFuture<AppendResult> append = log.append(batch(1, 1), 0);
        CompletableFuture<Long> recoveryPointAtAck = append.thenApply(result -> log.recoveryPoint());
        assertThat(forces.awaitHeldForce()).as("the flusher reached the force").isTrue();

        assertThat(append).as("acknowledged before its fsync finished").isNotDone();
        assertThat(log.recoveryPoint()).isEqualTo(1);

        forces.releaseForces();
        assertThat(append).succeedsWithin(Duration.ofSeconds(10)).extracting(AppendResult::nextOffset).isEqualTo(2L);
        assertThat(recoveryPointAtAck.get()).isGreaterThanOrEqualTo(2);
    }

    /**
     * Each partition's flusher is held inside the fsync of its first append while 100 more arrive
     * on the two partitions. When they are released, one more round per partition takes them all:
     * one force per partition, however many appends waited.
     */
    @Test
    void appendsThatArriveDuringAnFsyncShareTheNextOne() throws Exception {
        List<PartitionLog> logs = List.of(manager.getOrCreateLog(ORDERS_0, LogConfig.defaults()),
                manager.getOrCreateLog(ORDERS_1, LogConfig.defaults()));
        forces.holdForces();
        List<CompletableFuture<AppendResult>> first = List.of(logs.get(0).append(batch(0, 1), 0),
                logs.get(1).append(batch(0, 1), 0));
        assertThat(forces.awaitHeldForce()).as("orders-0 or orders-1 held in its force").isTrue();
        assertThat(forces.awaitHeldForce()).as("the other partition held in its force").isTrue();
        int forcesBefore = forces.forces.get();

        ConcurrentLinkedQueue<CompletableFuture<AppendResult>> waiting = new ConcurrentLinkedQueue<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            PartitionLog log = logs.get(t % 2);
            appenders.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    waiting.add(log.append(batch(i, 1), 0));
                }
            }));
        }
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }
        assertThat(waiting).hasSize(100).noneMatch(CompletableFuture::isDone);
        assertThat(first).noneMatch(CompletableFuture::isDone);
        assertThat(forces.forces.get()).as("no force starts while one of the same log runs").isEqualTo(forcesBefore);

        forces.releaseForces();
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get();

        assertThat(first).allMatch(CompletableFuture::isDone);
        assertThat(forces.forces.get() - forcesBefore).as("forces for 100 appends on 2 partitions").isEqualTo(2);
        for (PartitionLog log : logs) {
            assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset());
        }
    }

    /**
     * Free-running producers that each wait for their acknowledgement before sending again: any
     * round that carries two of them saves a force, so fewer forces than appends shows sharing
     * without depending on how long an fsync takes.
     */
    @Test
    void manyConcurrentAppendersShareFsyncsAndEachIsAcknowledgedOnlyOnceDurable() throws Exception {
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, LogConfig.defaults());
        int threads = 8;
        int appendsPerThread = 40;
        AtomicInteger appends = new AtomicInteger();
        List<String> ackedTooEarly = new CopyOnWriteArrayList<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            appenders.add(new Thread(() -> {
                for (int i = 0; i < appendsPerThread; i++) {
                    AppendResult result = log.append(batch(i, 1), 0).thenApply(r -> {
                        if (log.recoveryPoint() < r.nextOffset()) {
                            ackedTooEarly.add(log.topicPartition() + "@" + r.firstOffset());
                        }
                        return r;
                    }).join();
                    assertThat(result.records()).isEqualTo(1);
                    appends.incrementAndGet();
                }
            }));
        }
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }

        assertThat(appends.get()).isEqualTo(threads * appendsPerThread);
        assertThat(ackedTooEarly).isEmpty();
        assertThat(forces.forces.get()).as("forces for %d acknowledged appends", appends.get()).isLessThan(appends.get());
    }

    /**
     * A follower truncation while the flusher is inside an fsync: the fsync covered offsets that
     * the truncation then removed, and offsets appended again after it were never forced, so the
     * recovery point must not end up above them (it would acknowledge them without an fsync).
     */
    @Test
    void aTruncationDuringAnFsyncNeverLeavesTheRecoveryPointPastTheLogEnd() throws Exception {
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, LogConfig.defaults());
        for (int i = 0; i < 3; i++) {
            log.append(batch(i, 1), 0).get();
        }
        forces.holdForces();
        CompletableFuture<AppendResult> inFsync = log.append(batch(3, 1), 0);
        assertThat(forces.awaitHeldForce()).isTrue();

        Thread truncation = new Thread(() -> log.truncateTo(1));
        truncation.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !truncation.isAlive() || truncation.getState() == Thread.State.BLOCKED);
        forces.releaseForces();
        truncation.join();
        assertThat(inFsync).succeedsWithin(Duration.ofSeconds(10));
        int forcesBefore = forces.forces.get();

        AppendResult again = log.append(batch(1, 1), 0).get();

        assertThat(again.firstOffset()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(log.logEndOffset());
        assertThat(forces.forces.get()).as("the re-appended offset was forced before its ack").isGreaterThan(forcesBefore);
    }

    @Test
    void deletingALogWithAppendsWaitingForTheirFsyncFailsThemButNotTheDirectory() throws Exception {
        PartitionLog doomed = manager.getOrCreateLog(ORDERS_0, LogConfig.defaults());
        PartitionLog other = manager.getOrCreateLog(ORDERS_1, LogConfig.defaults());
        forces.holdForces();
        CompletableFuture<AppendResult> inFsync = doomed.append(batch(0, 1), 0);
        assertThat(forces.awaitHeldForce()).isTrue();
        CompletableFuture<AppendResult> queued = doomed.append(batch(1, 1), 0);

        doomed.delete();
        forces.releaseForces();

        for (CompletableFuture<AppendResult> waiting : List.of(inFsync, queued)) {
            assertThat(waiting).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(TributaryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
        }
        assertThat(manager.failure()).isNull();
        assertThat(other.append(batch(0, 1), 0).get().firstOffset()).isZero();
    }
}
