package io.tributary.cluster;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server inside the broker's JVM, for a broker that runs without an ensemble.
 * The broker then talks to it through Curator exactly as it would to an external ensemble: one code
 * path. Data lives under the broker's data directory; the admin server is off; it binds the given
 * address (loopback unless configured).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final ZooKeeperServerEmbedded server;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, String connectString) {
        this.server = server;
        this.connectString = connectString;
    }

    /** Starts a server with its data in {@code dir}, on {@code host:port} (port 0: any free port). */
    public static EmbeddedZooKeeper start(Path dir, String host, int port) throws Exception {
        Files.createDirectories(dir);
        int chosen = port > 0 ? port : freePort(host);
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(chosen));
        config.setProperty("clientPortAddress", host);
        config.setProperty("dataDir", dir.resolve("data").toAbsolutePath().toString());
        config.setProperty("tickTime", "1000"); // sessions end within a tick of their timeout
        config.setProperty("maxSessionTimeout", "60000");
        config.setProperty("admin.enableServer", "false");
        config.setProperty("4lw.commands.whitelist", "");
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dir.toAbsolutePath())
                .configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        server.start(30_000);
        String connect = host + ":" + chosen;
        LOG.info("Embedded ZooKeeper listening on {} with data in {}", connect, dir);
        return new EmbeddedZooKeeper(server, connect);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    public String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        server.close();
        LOG.info("Embedded ZooKeeper stopped");
    }
}
