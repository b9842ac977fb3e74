package io.tributary.api.health;

import io.tributary.BrokerTestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Path;

/** The health groups Kubernetes probes: liveness is the process, readiness adds ZooKeeper, the logs and replica catch-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HealthGroupsIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    @Autowired
    WebTestClient client;

    @Test
    void readinessCoversTheZooKeeperSessionAndTheLogDirectory() {
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper.details.brokerId").isEqualTo(1)
                .jsonPath("$.components.zookeeper.details.controllerId").isEqualTo(1)
                .jsonPath("$.components.logDirectory.status").isEqualTo("UP")
                .jsonPath("$.components.replicas.status").isEqualTo("UP")
                .jsonPath("$.components.replicas.details.catchingUp").isEqualTo(0)
                .jsonPath("$.components.readinessState.status").isEqualTo("UP");
    }

    @Test
    void livenessIsTheProcessOnly() {
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper").doesNotExist()
                .jsonPath("$.components.logDirectory").doesNotExist()
                .jsonPath("$.components.replicas").doesNotExist();
    }
}
