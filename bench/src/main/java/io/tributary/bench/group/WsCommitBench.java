package io.tributary.bench.group;

import io.tributary.TributaryApplication;
import io.tributary.replication.Acks;
import io.tributary.service.ProduceRecord;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket consumer-group figures on one in-process broker (on-ack fsync, the default): commit
 * frames per second over one socket with up to {@code window} commits unanswered (each answered by
 * a {@code committed} frame once durable), and records per second read over {@code /ws/v1/consume}
 * as a group member against a plain subscription, over the same 400k records.
 *
 * <p>Run: {@code java -cp <test class path> io.tributary.bench.group.WsCommitBench [seconds [window]]}.
 */
public final class WsCommitBench {

    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 100_000;

    private WsCommitBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        Path dataDir = Files.createTempDirectory("ws-group-bench");
        try (ConfigurableApplicationContext broker = new SpringApplicationBuilder(TributaryApplication.class).run(
                "--server.port=0", "--tributary.data-dir=" + dataDir, "--tributary.zookeeper.embedded-port=0",
                "--tributary.replication.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            int port = Integer.parseInt(broker.getEnvironment().getProperty("local.server.port"));
            broker.getBean(TopicService.class).create("ws-bench", PARTITIONS, 1, Map.of());
            produce(broker.getBean(ProduceService.class));
            for (int round = 0; round < 3; round++) {
                double plain = consume(port, "/ws/v1/consume?topics=ws-bench&from=earliest");
                double member = consume(port, "/ws/v1/consume?group=ws-consume-" + round
                        + "&topics=ws-bench&autoOffsetReset=earliest");
                System.out.printf("consume round %d: plain subscription %.0f records/s, group member %.0f records/s%n",
                        round, plain, member);
            }
            for (int round = 0; round < 3; round++) {
                System.out.printf("commit round %d: %.0f commits/s over one WebSocket (window %d)%n", round,
                        commits(port, "ws-commit-" + round, seconds, window), window);
            }
        }
    }

    private static void produce(ProduceService produce) {
        byte[] value = "{\"n\":12345,\"payload\":\"abcdefghijklmnopqrstuvwxyz\"}".getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p < PARTITIONS; p++) {
            for (int chunk = 0; chunk < PER_PARTITION; chunk += 5_000) {
                List<ProduceRecord> records = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    records.add(new ProduceRecord(null, value, null, p, null));
                }
                produce.produce("ws-bench", records, Acks.ALL).join();
            }
        }
    }

    private static ReactorNettyWebSocketClient client() {
        return new ReactorNettyWebSocketClient(HttpClient.create(),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024));
    }

    /** Records per second until every record has arrived (counted, not parsed: the same cost on both paths). */
    private static double consume(int port, String pathAndQuery) {
        long total = (long) PARTITIONS * PER_PARTITION;
        AtomicLong received = new AtomicLong();
        AtomicLong started = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        var connection = client().execute(URI.create("ws://127.0.0.1:" + port + pathAndQuery), ws -> ws.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .doOnNext(text -> {
                    if (!text.startsWith("{\"type\":\"records\"")) {
                        return;
                    }
                    started.compareAndSet(0, System.nanoTime());
                    if (received.addAndGet(count(text, "{\"topic\":")) >= total) {
                        done.complete(System.nanoTime());
                    }
                })
                .takeUntilOther(Mono.fromFuture(done))
                .then(ws.close())).subscribe();
        try {
            long end = done.orTimeout(10, TimeUnit.MINUTES).join();
            return total / ((end - started.get()) / 1e9);
        } finally {
            connection.dispose();
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** Commit frames answered per second, with up to {@code window} unanswered. */
    private static double commits(int port, String group, int seconds, int window) throws Exception {
        Semaphore unanswered = new Semaphore(window);
        AtomicLong answered = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CompletableFuture<Void> assigned = new CompletableFuture<>();
        Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
        var connection = client().execute(URI.create("ws://127.0.0.1:" + port + "/ws/v1/consume?group=" + group
                + "&topics=ws-bench&autoOffsetReset=latest&flow=credit"), ws -> {
            Mono<Void> in = ws.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(text -> {
                if (text.startsWith("{\"type\":\"assigned\"")) {
                    assigned.complete(null);
                } else if (text.startsWith("{\"type\":\"committed\"")) {
                    answered.incrementAndGet();
                    unanswered.release();
                } else if (text.startsWith("{\"type\":\"error\"")) {
                    refused.incrementAndGet();
                    unanswered.release();
                }
            }).then();
            Mono<Void> send = ws.send(out.asFlux().map(ws::textMessage));
            return Flux.merge(in, send).then();
        }).subscribe();
        try {
            assigned.orTimeout(60, TimeUnit.SECONDS).join();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long start = System.nanoTime();
            long before = answered.get();
            while (System.nanoTime() < end) {
                if (!unanswered.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int partition = (int) (sent % PARTITIONS);
                out.emitNext("{\"type\":\"commit\",\"offsets\":[{\"topic\":\"ws-bench\",\"partition\":" + partition
                        + ",\"offset\":" + (sent / PARTITIONS % PER_PARTITION) + "}]}",
                        Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5)));
                sent++;
            }
            double rate = (answered.get() - before) / ((System.nanoTime() - start) / 1e9);
            if (refused.get() > 0) {
                System.out.printf("  %d commits refused%n", refused.get());
            }
            return rate;
        } finally {
            connection.dispose();
        }
    }
}
