package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.StorageException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.segment.ChannelOpener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static io.tributary.log.LogTestSupport.BATCH_BYTES;
import static io.tributary.log.LogTestSupport.append;
import static io.tributary.log.LogTestSupport.batch;
import static io.tributary.log.LogTestSupport.readAll;
import static io.tributary.log.LogTestSupport.valuesFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * I/O errors, injected through {@link FaultyFileChannel}: the failing operation reports
 * {@link ErrorCode#STORAGE_ERROR}, the whole data directory stops taking writes for good, what was
 * already written stays readable, waiting acknowledgements fail rather than succeed, and the next
 * start treats the directory as crashed.
 */
class IoFailureTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final LogConfig CONFIG = LogTestSupport.config(4);

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final FaultyFileChannel.Faults faults = new FaultyFileChannel.Faults();
    private final List<LogManager> managers = new ArrayList<>();

    @AfterEach
    void closeManagers() {
        faults.releaseForces();
        managers.forEach(LogManager::close);
    }

    private LogManager start(FlushPolicy policy, ChannelOpener opener) {
        LogManager manager = new LogManager(LogManagerConfig.of(dir, policy), topic -> CONFIG, time, opener);
        manager.startup();
        managers.add(manager);
        return manager;
    }

    private static void assertStorageError(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(StorageException.class, s -> {
            assertThat(s.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
            assertThat(s.code().retriable()).isTrue();
        });
    }

    @Test
    void aFailingWriteFailsTheAppendWithAStorageError() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, CONFIG);
        append(log, 3, time.milliseconds());

        faults.failWrites.set(true);

        assertThatThrownBy(() -> log.append(batch(3, time.milliseconds()), 0)).satisfies(IoFailureTest::assertStorageError);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(manager.failure()).isNotNull().satisfies(IoFailureTest::assertStorageError);
    }

    @Test
    void afterAFailureEveryPartitionOfTheDirectoryRefusesWritesEvenOnceTheFaultIsGone() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog failing = manager.getOrCreateLog(ORDERS_0, CONFIG);
        PartitionLog other = manager.getOrCreateLog(ORDERS_1, CONFIG);
        append(failing, 2, time.milliseconds());
        append(other, 2, time.milliseconds());
        faults.failWrites.set(true);
        assertThatThrownBy(() -> failing.append(batch(2, time.milliseconds()), 0)).isInstanceOf(StorageException.class);

        faults.failWrites.set(false);

        for (PartitionLog log : List.of(failing, other)) {
            assertThatThrownBy(() -> log.append(batch(2, time.milliseconds()), 0)).satisfies(IoFailureTest::assertStorageError);
            assertThatThrownBy(() -> log.appendAsFollower(replicated(2))).satisfies(IoFailureTest::assertStorageError);
            assertThatThrownBy(() -> log.truncateTo(1)).satisfies(IoFailureTest::assertStorageError);
            assertThat(log.logEndOffset()).isEqualTo(2);
        }
        assertThatThrownBy(() -> manager.getOrCreateLog(new TopicPartition("payments", 0), CONFIG))
                .satisfies(IoFailureTest::assertStorageError);
        assertThat(Files.exists(dir.resolve("payments-0"))).isFalse();
        assertThatThrownBy(() -> LogRetention.deleteOldSegments((FilePartitionLog) other)).isInstanceOf(StorageException.class);
        assertThat(manager.applyRetention()).isZero();
        assertThat(manager.failure()).isNotNull();
    }

    /** A batch at {@code offset} as a leader would replicate it. */
    private static MemoryRecords replicated(long offset) {
        MemoryRecords records = batch(offset, 1);
        records.batches().iterator().next().setBaseOffset(offset);
        return records;
    }

    @Test
    void dataWrittenBeforeAFailureStaysReadable() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog failing = manager.getOrCreateLog(ORDERS_0, CONFIG);
        PartitionLog other = manager.getOrCreateLog(ORDERS_1, CONFIG);
        append(failing, 10, 1_000);
        append(other, 5, 1_000);
        faults.failWrites.set(true);
        assertThatThrownBy(() -> failing.append(batch(10, 2_000), 0)).isInstanceOf(StorageException.class);

        assertThat(readAll(failing)).isEqualTo(valuesFor(0, 10));
        assertThat(readAll(other)).isEqualTo(valuesFor(0, 5));
        assertThat(failing.offsetForTimestamp(1_000)).contains(new TimestampOffset(1_000, 0));
        assertThat(failing.offsetForTimestamp(1_001)).isEmpty();
    }

    @Test
    void aFailingForceWhileRollingFailsTheAppend() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, CONFIG);
        append(log, 4, time.milliseconds());

        faults.failForces.set(true);

        assertThatThrownBy(() -> log.append(batch(4, time.milliseconds()), 0)).satisfies(IoFailureTest::assertStorageError);
        assertThat(manager.failure()).isNotNull();
        faults.failForces.set(false);
        assertThatThrownBy(() -> log.append(batch(4, time.milliseconds()), 0)).isInstanceOf(StorageException.class);
        assertThat(readAll(log)).isEqualTo(valuesFor(0, 4));
    }

    @Test
    void aFailingFsyncUnderOnAckCompletesEveryWaitingAppendExceptionally() throws Exception {
        LogManager manager = start(FlushPolicy.ON_ACK, faults.opener());
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, CONFIG);
        log.append(batch(0, 1), 0).get();
        long durable = log.recoveryPoint();

        faults.holdForces();
        CompletableFuture<AppendResult> first = log.append(batch(1, 1), 0);
        assertThat(faults.awaitHeldForce()).isTrue();
        CompletableFuture<AppendResult> second = log.append(batch(2, 1), 0);
        CompletableFuture<AppendResult> third = log.append(batch(3, 1), 0);
        faults.failForces.set(true);
        faults.releaseForces();

        for (CompletableFuture<AppendResult> waiting : List.of(first, second, third)) {
            assertThat(waiting).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .satisfies(e -> assertStorageError(e.getCause()));
        }
        assertThat(log.recoveryPoint()).isEqualTo(durable);
        assertThat(manager.failure()).isNotNull();
        assertThatThrownBy(() -> log.append(batch(4, 1), 0)).isInstanceOf(StorageException.class);
    }

    @Test
    void closeAfterAFailureLeavesNoCleanShutdownMarkerSoTheNextStartRecovers() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, CONFIG);
        append(log, 3, time.milliseconds());
        faults.failWrites.set(true);
        assertThatThrownBy(() -> log.append(batch(3, time.milliseconds()), 0)).isInstanceOf(StorageException.class);

        manager.close();

        assertThat(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        assertThat(dir.resolve("orders-0").resolve("00000000000000000000.log"))
                .as("the half-written batch is on disk").hasSize(3L * BATCH_BYTES + BATCH_BYTES / 2);

        LogManager restarted = start(FlushPolicy.NONE, ChannelOpener.DEFAULT);
        PartitionLog recovered = restarted.getLog(ORDERS_0).orElseThrow();
        assertThat(restarted.failure()).isNull();
        assertThat(recovered.logEndOffset()).isEqualTo(3);
        assertThat(recovered.sizeInBytes()).isEqualTo(3L * BATCH_BYTES);
        assertThat(readAll(recovered)).isEqualTo(valuesFor(0, 3));
        append(recovered, 1, time.milliseconds());
        assertThat(readAll(recovered)).isEqualTo(valuesFor(0, 4));
    }

    @Test
    void aFailureMarksTheDirectoryForTheHealthCheck() {
        LogManager manager = start(FlushPolicy.NONE, faults.opener());
        PartitionLog log = manager.getOrCreateLog(ORDERS_0, CONFIG);
        assertThat(manager.failure()).isNull();

        faults.failWrites.set(true);
        assertThatThrownBy(() -> log.append(batch(0, 1), 0)).isInstanceOf(TributaryException.class);

        assertThat(manager.failure()).isNotNull();
        assertThat(manager.failure().getMessage()).contains(dir.toString());
    }
}
