package io.tributary.api.ws;

import io.tributary.GroupRestartIT;
import io.tributary.api.rest.GroupClient;
import io.tributary.cluster.ZNodes;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket group member resumes exactly at the offset committed with a commit frame after the
 * broker restarts, stopped cleanly or killed with SIGKILL in a child JVM: no gap, nothing before
 * the committed offset. The resumed member asks for {@code autoOffsetReset=latest}, so a commit
 * lost in the restart would show as a jump to the end.
 */
class WebSocketGroupRestartIT {

    private static final String CONSUME = "/ws/v1/consume?group=survivors&topics=restart&autoOffsetReset=";

    @TempDir
    Path tmp;

    private static GroupClient groups(int port) {
        return new GroupClient(WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build());
    }

    /** Reads offsets 0..9 as a member, commits 7 with a commit frame, and leaves. */
    private static void consumeAndCommit(int port) {
        GroupClient groups = groups(port);
        groups.createTopic("restart", 1);
        groups.produce("restart", 0, 10);
        try (WsTestClient member = WsTestClient.connect(port, CONSUME + "earliest")) {
            member.next("joined");
            JsonNode assigned = member.next("assigned");
            assertThat(assigned.at("/partitions/0/offset").asLong()).isZero();
            assertThat(offsets(member.records(10))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            member.send("{\"type\":\"commit\",\"offsets\":[{\"topic\":\"restart\",\"partition\":0,\"offset\":7}]}");
            assertThat(member.next("committed").at("/offsets/0/offset").asLong()).isEqualTo(7);
        }
    }

    /** A new member starts at 7 and gets 7, 8, 9. */
    private static void resumesAtTheCommittedOffset(int port) {
        try (WsTestClient member = WsTestClient.connect(port, CONSUME + "latest")) {
            member.next("joined");
            JsonNode assigned = member.next("assigned");
            assertThat(assigned.at("/partitions/0/offset").asLong()).isEqualTo(7);
            assertThat(offsets(member.records(3))).containsExactly(7L, 8L, 9L);
        }
        assertThat(groups(port).describe("survivors").offsets().get(0).committedOffset()).isEqualTo(7);
    }

    private static List<Long> offsets(List<JsonNode> records) {
        List<Long> offsets = new ArrayList<>();
        records.forEach(r -> offsets.add(r.path("offset").asLong()));
        return offsets;
    }

    @Test
    void aMemberResumesAtTheCommittedOffsetAfterACleanRestart() {
        Path dataDir = tmp.resolve("data");
        try (ConfigurableApplicationContext first = GroupRestartIT.startInProcess(dataDir)) {
            consumeAndCommit(GroupRestartIT.port(first));
        }
        try (ConfigurableApplicationContext second = GroupRestartIT.startInProcess(dataDir)) {
            resumesAtTheCommittedOffset(GroupRestartIT.port(second));
        }
    }

    @Test
    void aMemberResumesAtTheCommittedOffsetAfterTheBrokerIsKilled() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (TestingServer zookeeper = new TestingServer(true);
             CuratorFramework observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                     new RetryOneTime(100))) {
            observer.start();
            int port = GroupRestartIT.freePort();
            Process first = GroupRestartIT.startChild(tmp.resolve("first"), dataDir, zookeeper.getConnectString(), port);
            try {
                GroupRestartIT.awaitUp(port);
                consumeAndCommit(port);
            } finally {
                first.destroyForcibly();
                first.waitFor();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> observer.checkExists().forPath(ZNodes.broker(1)) == null);
            Process second = GroupRestartIT.startChild(tmp.resolve("second"), dataDir, zookeeper.getConnectString(), port);
            try {
                GroupRestartIT.awaitUp(port);
                resumesAtTheCommittedOffset(port);
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }
}
