package io.tributary;

import io.tributary.api.rest.GroupClient;
import io.tributary.api.rest.GroupDtos.GroupRecord;
import io.tributary.api.rest.GroupDtos.MemberRecordsResponse;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.api.rest.GroupDtos.PartitionPosition;
import io.tributary.cluster.ZNodes;
import io.tributary.log.ChildJvm;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A group resumes exactly at its committed offsets after the broker restarts: stopped cleanly, or
 * killed with SIGKILL ({@code kill -9}) in a child JVM. Resumed members start with
 * {@code autoOffsetReset=latest}, so an offset lost in the restart would show as a jump to the end.
 */
public class GroupRestartIT {

    @TempDir
    Path tmp;

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    /** Creates the topic, reads it as a member, commits offset 7 of 10 and returns. */
    private static void consumeAndCommit(GroupClient groups) {
        groups.createTopic("restart", 1);
        groups.produce("restart", 0, 10);
        MemberResponse member = groups.join("survivors", "restart");
        MemberRecordsResponse fetched = groups.fetch("survivors", member, 5_000);
        assertThat(fetched.records()).hasSize(10);
        groups.commit("survivors", member, fetched.generation(), "restart", Map.of(0, 7L)).expectStatus().isOk();
    }

    /** A new member of the group starts at 7: no gap, nothing before the committed offset. */
    private static void resumesAtTheCommittedOffset(GroupClient groups) {
        MemberResponse member = groups.join("survivors", "restart", Map.of("autoOffsetReset", "latest"));
        assertThat(member.partitions()).extracting(PartitionPosition::offset).containsExactly(7L);
        MemberRecordsResponse fetched = groups.fetch("survivors", member, 5_000);
        assertThat(fetched.records()).extracting(GroupRecord::offset).containsExactly(7L, 8L, 9L);
        assertThat(groups.describe("survivors").offsets().get(0).committedOffset()).isEqualTo(7);
    }

    public static ConfigurableApplicationContext startInProcess(Path dataDir) {
        return new SpringApplicationBuilder(TributaryApplication.class).run("--server.port=0",
                "--tributary.data-dir=" + dataDir, "--tributary.zookeeper.embedded-port=0",
                "--tributary.replication.port=0", "--tributary.group.offsets-topic-partitions=3");
    }

    @Test
    void aGroupResumesAtItsCommittedOffsetsAfterACleanRestart() {
        Path dataDir = tmp.resolve("data");
        try (ConfigurableApplicationContext first = startInProcess(dataDir)) {
            consumeAndCommit(new GroupClient(client(port(first))));
        }
        try (ConfigurableApplicationContext second = startInProcess(dataDir)) {
            resumesAtTheCommittedOffset(new GroupClient(client(port(second))));
        }
    }

    @Test
    void aGroupResumesAtItsCommittedOffsetsAfterTheBrokerIsKilled() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (TestingServer zookeeper = new TestingServer(true);
             CuratorFramework observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                     new RetryOneTime(100))) {
            observer.start();
            int port = freePort();
            Process first = startChild(tmp.resolve("first"), dataDir, zookeeper.getConnectString(), port);
            try {
                awaitUp(port);
                consumeAndCommit(new GroupClient(client(port)));
            } finally {
                first.destroyForcibly();
                first.waitFor();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> observer.checkExists().forPath(ZNodes.broker(1)) == null);
            Process second = startChild(tmp.resolve("second"), dataDir, zookeeper.getConnectString(), port);
            try {
                awaitUp(port);
                resumesAtTheCommittedOffset(new GroupClient(client(port)));
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    public static Process startChild(Path workDir, Path dataDir, String zookeeper, int port) throws IOException {
        Process child = ChildJvm.startLogging(workDir, TributaryApplication.class, "--server.port=" + port,
                "--tributary.data-dir=" + dataDir, "--tributary.zookeeper.connect=" + zookeeper,
                "--tributary.zookeeper.session-timeout=6s", "--tributary.replication.port=0",
                "--tributary.group.offsets-topic-partitions=3", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN");
        return child;
    }

    public static void awaitUp(int port) {
        WebTestClient probe = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> probe.get().uri("/actuator/health").exchange().expectStatus().isOk());
    }

    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
