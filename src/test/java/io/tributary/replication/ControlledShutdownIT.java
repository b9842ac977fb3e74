package io.tributary.replication;

import io.tributary.cluster.ClusterListener;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.api.ws.SessionDrain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

import java.net.URI;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A clean stop hands leadership over first: every partition the stopping broker led has another
 * leader, in a new epoch, while the broker is still registered (so before its logs close), produce
 * requests meanwhile fail only with retriable errors, and the broker ends up in no ISR. Its
 * WebSocket sessions get a 1001 close frame and its event streams complete.
 */
class ControlledShutdownIT {

    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    static final ClusterHarness cluster = ClusterHarness.perClass(3);

    /** A partition state as another broker saw it change, and whether the stopping broker was registered then. */
    record Seen(TopicPartition tp, PartitionState state, boolean victimRegistered) {
    }

    @Test
    void stoppingABrokerMovesItsLeadershipBeforeItsLogsClose() throws Exception {
        cluster.createTopic(1, "handover", 3, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition p0 = new TopicPartition("handover", 0);
        int victim = cluster.state(p0).leader();
        int observer = victim == 1 ? 2 : 1;
        await().atMost(LONG).until(() -> cluster.state(p0).isr().size() == 3);
        Map<TopicPartition, PartitionState> before = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            TopicPartition tp = new TopicPartition("handover", p);
            before.put(tp, cluster.state(tp));
        }
        ZkClusterMetadata seenBy = cluster.metadata(observer);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        seenBy.addListener(new ClusterListener() {
            @Override
            public void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
                seen.add(new Seen(tp, state, seenBy.liveBrokers().containsKey(victim)));
            }
        });
        RetryingProducer producer = new RetryingProducer(() -> cluster.restPort(observer), "handover");
        await().atMost(LONG).until(() -> producer.acknowledged() >= 50);

        cluster.stop(victim);
        int acksAtStop = producer.acknowledged();
        await().atMost(LONG).until(() -> producer.acknowledged() >= acksAtStop + 50);
        producer.close();

        before.forEach((tp, old) -> {
            if (old.leader() == victim) {
                assertThat(seen).as("%s led by %d got another leader while %d was registered", tp, victim, victim)
                        .anySatisfy(s -> {
                            assertThat(s.tp()).isEqualTo(tp);
                            assertThat(s.victimRegistered()).isTrue();
                            assertThat(s.state().leader()).isNotEqualTo(victim).isNotEqualTo(PartitionState.NO_LEADER);
                            assertThat(s.state().leaderEpoch()).isGreaterThan(old.leaderEpoch());
                        });
            }
            assertThat(cluster.state(tp).isr()).as("ISR of %s", tp).doesNotContain(victim);
        });
        producer.assertNothingAcknowledgedIsLost(cluster.partition(cluster.state(p0).leader(), p0));

        cluster.start(victim);
        await().atMost(LONG).until(() -> cluster.state(p0).isr().contains(victim));
    }

    @Test
    void stoppingABrokerClosesItsWebSocketSessionsWithGoingAwayAndCompletesItsEventStreams() {
        cluster.createTopic(1, "drained", 1, 3, Map.of());
        int victim = cluster.state(new TopicPartition("drained", 0)).leader();
        int port = cluster.restPort(victim);
        CompletableFuture<CloseStatus> wsClosed = new CompletableFuture<>();
        CompletableFuture<Void> wsOpen = new CompletableFuture<>();
        Disposable ws = new ReactorNettyWebSocketClient().execute(
                URI.create("ws://127.0.0.1:" + port + "/ws/v1/consume?topics=drained&from=earliest"), session -> {
                    session.closeStatus().subscribe(wsClosed::complete, wsClosed::completeExceptionally,
                            () -> wsClosed.complete(CloseStatus.NO_STATUS_CODE));
                    wsOpen.complete(null);
                    return session.receive().then();
                }).subscribe(null, wsClosed::completeExceptionally);
        CompletableFuture<Void> sseEnded = new CompletableFuture<>();
        CompletableFuture<Void> sseOpen = new CompletableFuture<>();
        Disposable sse = WebClient.create("http://127.0.0.1:" + port).get()
                .uri("/api/v1/topics/drained/events?from=earliest").exchangeToFlux(response -> {
                    sseOpen.complete(null);
                    return response.bodyToFlux(String.class);
                }).subscribe(null, sseEnded::completeExceptionally, () -> sseEnded.complete(null));
        await().atMost(LONG).untilAsserted(() -> {
            assertThat(wsOpen).as("WebSocket open").isDone();
            assertThat(sseOpen).as("event stream open").isDone();
            assertThat(wsClosed).as("WebSocket still open").isNotDone();
            assertThat(sseEnded).as("event stream still open").isNotDone();
            assertThat(cluster.bean(victim, SessionDrain.class).openSessions()).as("sessions tracked").isEqualTo(1);
        });

        cluster.stop(victim);

        assertThat(wsClosed).succeedsWithin(LONG).extracting(CloseStatus::getCode)
                .isEqualTo(CloseStatus.GOING_AWAY.getCode());
        assertThat(sseEnded).succeedsWithin(LONG);
        ws.dispose();
        sse.dispose();
        cluster.start(victim);
    }
}
