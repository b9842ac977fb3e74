package io.tributary;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Path;

/** Settings for a broker under test: its own data directory and free ports, loopback only. */
public final class BrokerTestProperties {

    private BrokerTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("tributary.data-dir", dataDir::toString);
        registry.add("tributary.zookeeper.embedded-port", () -> "0");
        registry.add("tributary.replication.port", () -> "0");
        registry.add("tributary.zookeeper.session-timeout", () -> "6s");
    }
}
