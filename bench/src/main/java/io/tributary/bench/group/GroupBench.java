package io.tributary.bench.group;

import io.tributary.TributaryApplication;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.group.GroupCoordinator;
import io.tributary.group.JoinRequest;
import io.tributary.group.JoinResult;
import io.tributary.group.MemberAssignment;
import io.tributary.group.MemberFetcher;
import io.tributary.group.MemberListener;
import io.tributary.group.OffsetResetPolicy;
import io.tributary.group.PartitionCommit;
import io.tributary.replication.Acks;
import io.tributary.service.FetchResult;
import io.tributary.service.FetchService;
import io.tributary.service.ProduceRecord;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumer-group figures on one in-process broker (on-ack fsync, the default): offset commits per
 * second through the coordinator (acks=all writes to {@code __consumer_offsets}, many concurrent
 * commits), the time a 10-member group over 100 partitions takes to rebalance until every member
 * has its assignment, and records per second read as a group member against the plain fetch path.
 *
 * <p>Run: {@code java -cp <test class path> io.tributary.bench.group.GroupBench [seconds [commitsInFlight [commits-only]]]}.
 */
public final class GroupBench {

    private GroupBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        Path dataDir = Files.createTempDirectory("group-bench");
        try (ConfigurableApplicationContext broker = new SpringApplicationBuilder(TributaryApplication.class).run(
                "--server.port=0", "--tributary.data-dir=" + dataDir, "--tributary.zookeeper.embedded-port=0",
                "--tributary.replication.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            GroupCoordinator coordinator = broker.getBean(GroupCoordinator.class);
            TopicService topics = broker.getBean(TopicService.class);
            topics.create("bench-commits", 10, 1, Map.of());
            topics.create("bench-rebalance", 100, 1, Map.of());
            topics.create("bench-consume", 4, 1, Map.of());
            commits(coordinator, seconds, inFlight);
            if (args.length < 3) {
                rebalance(coordinator);
            }
            if (args.length < 3) {
                consume(broker, coordinator);
            }
        }
    }

    /** 20 groups of one member each, 10 partitions each, up to {@code maxInFlight} commits in flight in all. */
    private static void commits(GroupCoordinator coordinator, int seconds, int maxInFlight) throws Exception {
        int groups = 20;
        List<JoinResult> members = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            members.add(coordinator.join("commit-bench-" + g, request("bench-commits", MemberListener.IMMEDIATE)));
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        long offset = 0;
        while (System.nanoTime() < end) {
            inFlight.acquire();
            int g = (int) (offset % groups);
            JoinResult m = members.get(g);
            TopicPartition tp = new TopicPartition("bench-commits", (int) (offset / groups % 10));
            coordinator.commit("commit-bench-" + g, m.memberId(), m.token(), m.assignment().generation(),
                    List.of(new PartitionCommit(tp, offset++, null)), "bench")
                    .whenComplete((ok, error) -> {
                        (error == null ? done : failed).incrementAndGet();
                        inFlight.release();
                    });
        }
        inFlight.acquire(maxInFlight);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("commits: %d in %.1f s = %.0f commits/s (%d failed)%n", done.get(), elapsed,
                done.get() / elapsed, failed.get());
    }

    /** 10 members join one at a time; then one leaves. Revocations are confirmed on another thread. */
    private static void rebalance(GroupCoordinator coordinator) throws Exception {
        Executor transport = Executors.newFixedThreadPool(4);
        List<Listener> listeners = new ArrayList<>();
        List<JoinResult> members = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Listener l = new Listener(transport);
            listeners.add(l);
            members.add(coordinator.join("rebalance-bench", request("bench-rebalance", l)));
        }
        awaitAllAssigned(listeners, 100);
        Listener tenth = new Listener(transport);
        listeners.add(tenth);
        long start = System.nanoTime();
        coordinator.join("rebalance-bench", request("bench-rebalance", tenth));
        awaitAllAssigned(listeners, 100);
        System.out.printf("rebalance, 10th member joins 9 over 100 partitions: %.1f ms until every member has its "
                + "assignment%n", (System.nanoTime() - start) / 1e6);
        JoinResult leaving = members.get(0);
        listeners.remove(0);
        start = System.nanoTime();
        coordinator.leave("rebalance-bench", leaving.memberId(), leaving.token());
        awaitAllAssigned(listeners, 100);
        System.out.printf("rebalance, 1 of 10 members leaves: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    private static void awaitAllAssigned(List<Listener> listeners, int partitions) throws InterruptedException {
        while (true) {
            int generation = -1;
            int total = 0;
            boolean same = true;
            for (Listener l : listeners) {
                MemberAssignment a = l.last.get();
                if (a == null) {
                    same = false;
                    break;
                }
                same &= generation < 0 || a.generation() == generation;
                generation = a.generation();
                total += a.partitions().size();
            }
            if (same && total == partitions) {
                return;
            }
            synchronized (listeners) {
                listeners.wait(1);
            }
        }
    }

    /** 400k records in 4 partitions, read by a plain fetch loop, then by one group member. */
    private static void consume(ConfigurableApplicationContext broker, GroupCoordinator coordinator) throws Exception {
        ProduceService produce = broker.getBean(ProduceService.class);
        int perPartition = 100_000;
        byte[] value = "{\"n\":12345,\"payload\":\"abcdefghijklmnopqrstuvwxyz\"}".getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p < 4; p++) {
            for (int chunk = 0; chunk < perPartition; chunk += 5_000) {
                List<ProduceRecord> records = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    records.add(new ProduceRecord(null, value, null, p, null));
                }
                produce.produce("bench-consume", records, Acks.ALL).join();
            }
        }
        FetchService fetch = broker.getBean(FetchService.class);
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            long read = 0;
            for (int p = 0; p < 4; p++) {
                long offset = 0;
                while (offset < perPartition) {
                    FetchResult r = fetch.fetch(new TopicPartition("bench-consume", p), offset, 500, 1 << 20, 0).join();
                    read += r.records().size();
                    offset = r.nextOffset();
                }
            }
            double plain = read / ((System.nanoTime() - start) / 1e9);
            MemberFetcher fetcher = broker.getBean(MemberFetcher.class);
            JoinResult member = coordinator.join("consume-bench-" + round, request("bench-consume", MemberListener.IMMEDIATE));
            start = System.nanoTime();
            long groupRead = 0;
            while (groupRead < 4L * perPartition) {
                groupRead += fetcher.fetch("consume-bench-" + round, member.memberId(), member.token(), 2_000, 4 << 20, 0)
                        .join().records().stream().mapToInt(pr -> pr.records().size()).sum();
            }
            double group = groupRead / ((System.nanoTime() - start) / 1e9);
            System.out.printf("consume round %d: plain fetch %.0f records/s, group member %.0f records/s%n", round,
                    plain, group);
        }
    }

    private static JoinRequest request(String topic, MemberListener listener) {
        return new JoinRequest(Set.of(topic), "range", OffsetResetPolicy.EARLIEST, true, 0, null, "bench", listener);
    }

    /** A transport that confirms revocations asynchronously, as a WebSocket session would. */
    private static final class Listener implements MemberListener {
        private final Executor transport;
        final AtomicReference<MemberAssignment> last = new AtomicReference<>();

        Listener(Executor transport) {
            this.transport = transport;
        }

        @Override
        public void onAssigned(MemberAssignment assignment) {
            last.set(assignment);
        }

        @Override
        public CompletionStage<Void> onRevoked(Set<TopicPartition> partitions) {
            return CompletableFuture.runAsync(() -> { }, transport);
        }

        @Override
        public void onRemoved(ErrorCode reason, String message) {
        }
    }

}
