package io.tributary.metrics;

import io.tributary.BrokerTestProperties;
import io.tributary.api.rest.GroupClient;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Prometheus scrape of a real broker: metric names, tags and values after real traffic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
class MetricsIT {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
        registry.add("tributary.metrics.refresh-interval", () -> "200ms");
    }

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    GroupClient api;

    @BeforeEach
    void setUp() {
        client = client.mutate().responseTimeout(WAIT).build();
        api = new GroupClient(client);
    }

    /** One sample of the scrape: its name, its labels as written ({@code k="v",...}) and its value. */
    record Sample(String name, String labels, double value) {
        boolean has(String... tags) {
            for (int i = 0; i < tags.length; i += 2) {
                if (!labels.contains(tags[i] + "=\"" + tags[i + 1] + "\"")) {
                    return false;
                }
            }
            return true;
        }
    }

    private List<Sample> scrape() {
        String text = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                samples.add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return samples;
    }

    private static List<Sample> named(List<Sample> samples, String name, String... tags) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(tags)).toList();
    }

    private double value(String name, String... tags) {
        List<Sample> found = named(scrape(), name, tags);
        assertThat(found).as("%s %s", name, List.of(tags)).hasSize(1);
        return found.get(0).value();
    }

    @Test
    void trafficAndStateAppearUnderKafkaStyleNames() {
        api.createTopic("metered", 2);
        api.produce("metered", 0, 3);
        client.get().uri("/api/v1/topics/metered/partitions/0/records?offset=0").exchange().expectStatus().isOk();

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(value("tributary_server_broker_topic_messages_in_total", "topic", "metered")).isEqualTo(3));
        List<Sample> s = scrape();
        assertThat(named(s, "tributary_server_broker_topic_bytes_in_total", "topic", "metered"))
                .singleElement().extracting(Sample::value).satisfies(v -> assertThat(v).isPositive());
        assertThat(named(s, "tributary_server_broker_topic_bytes_out_total", "topic", "metered"))
                .singleElement().extracting(Sample::value).satisfies(v -> assertThat(v).isPositive());
        assertThat(named(s, "tributary_server_broker_topic_replication_bytes_out_total", "topic", "metered"))
                .singleElement().extracting(Sample::value).isEqualTo(0.0);

        int hosted = named(s, "tributary_log_size").size();
        assertThat(hosted).isGreaterThanOrEqualTo(2);
        assertThat(named(s, "tributary_server_replica_manager_partition_count")).singleElement()
                .extracting(Sample::value).isEqualTo((double) hosted);
        assertThat(named(s, "tributary_server_replica_manager_leader_count")).singleElement()
                .extracting(Sample::value).isEqualTo((double) hosted);
        assertThat(named(s, "tributary_server_replica_manager_under_replicated_partitions")).singleElement()
                .extracting(Sample::value).isEqualTo(0.0);
        assertThat(named(s, "tributary_server_replica_manager_under_min_isr_partition_count")).singleElement()
                .extracting(Sample::value).isEqualTo(0.0);
        assertThat(named(s, "tributary_server_replica_manager_isr_shrinks_total")).hasSize(1);
        assertThat(named(s, "tributary_server_replica_manager_isr_expands_total")).hasSize(1);
        assertThat(named(s, "tributary_controller_active_controller_count")).singleElement()
                .extracting(Sample::value).isEqualTo(1.0);
        assertThat(named(s, "tributary_controller_offline_partitions_count")).singleElement()
                .extracting(Sample::value).isEqualTo(0.0);
        assertThat(named(s, "tributary_controller_global_partition_count")).singleElement()
                .extracting(Sample::value).satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(hosted));
        assertThat(named(s, "tributary_log_size", "topic", "metered", "partition", "0")).singleElement()
                .extracting(Sample::value).satisfies(v -> assertThat(v).isPositive());
        assertThat(named(s, "tributary_log_num_segments", "topic", "metered", "partition", "1")).singleElement()
                .extracting(Sample::value).isEqualTo(1.0);
        assertThat(named(s, "tributary_log_log_start_offset", "topic", "metered", "partition", "0")).singleElement()
                .extracting(Sample::value).isEqualTo(0.0);
        assertThat(named(s, "tributary_log_log_end_offset", "topic", "metered", "partition", "0")).singleElement()
                .extracting(Sample::value).isEqualTo(3.0);
        assertThat(named(s, "tributary_log_recovery_truncated_bytes_total")).singleElement()
                .extracting(Sample::value).isEqualTo(0.0);
        // a request is timed when its response ends on the server, which may be just after the client has it
        await().atMost(WAIT).untilAsserted(() -> {
            List<Sample> now = scrape();
            assertThat(named(now, "tributary_request_total_time_seconds_count", "request", "produce")).singleElement()
                    .extracting(Sample::value).satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(1));
            assertThat(named(now, "tributary_request_total_time_seconds_count", "request", "fetch")).singleElement()
                    .extracting(Sample::value).satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(1));
            assertThat(named(now, "tributary_request_total_time_seconds_bucket", "request", "fetch")).isNotEmpty();
        });
    }

    @Test
    void webSocketSessionsCountWhileOpen() {
        api.createTopic("watched", 1);
        assertThat(value("tributary_websocket_sessions", "endpoint", "produce")).isZero();
        assertThat(value("tributary_websocket_sessions", "endpoint", "consume")).isZero();

        Disposable session = new ReactorNettyWebSocketClient()
                .execute(URI.create("ws://127.0.0.1:" + port + "/ws/v1/consume?topics=watched&from=earliest"),
                        ws -> ws.receive().then())
                .subscribe();
        try {
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(value("tributary_websocket_sessions", "endpoint", "consume")).isEqualTo(1));
        } finally {
            session.dispose();
        }

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(value("tributary_websocket_sessions", "endpoint", "consume")).isZero());
    }

    @Test
    void groupLagFollowsCommits() {
        api.createTopic("lagging", 1);
        api.produce("lagging", 0, 5);
        MemberResponse member = api.join("billing", "lagging");
        api.commit("billing", member, null, "lagging", Map.of(0, 2L)).expectStatus().isOk();

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                value("tributary_group_lag", "group", "billing", "topic", "lagging", "partition", "0")).isEqualTo(3));
        assertThat(value("tributary_group_members", "group", "billing")).isEqualTo(1);
    }
}
