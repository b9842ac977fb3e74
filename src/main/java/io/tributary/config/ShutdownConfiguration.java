package io.tributary.config;

import io.tributary.api.ws.SessionDrain;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.replication.ControlledShutdown;
import io.tributary.replication.ReplicaManager;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which a broker stops. A {@link SmartLifecycle} in the last phase stops first, while
 * the web server still serves: (1) controlled shutdown, the broker's leadership moves to other
 * in-sync replicas ({@link ControlledShutdown}); (2) WebSocket sessions are closed with 1001 and
 * event streams complete ({@link SessionDrain}). Then the web server's graceful shutdown finishes
 * in-flight requests, and the beans close in reverse order of creation (see
 * {@link ClusterConfiguration}): replicas stop, logs are flushed and closed with their
 * clean-shutdown marker, and the broker's registration goes with its ZooKeeper session.
 */
@Configuration(proxyBeanMethods = false)
public class ShutdownConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownConfiguration.class);

    @Bean
    SessionDrain sessionDrain() {
        return new SessionDrain();
    }

    @Bean
    ControlledShutdown controlledShutdown(ZkClusterMetadata cluster, ReplicaManager replicas) {
        return new ControlledShutdown(cluster, replicas);
    }

    @Bean
    SmartLifecycle gracefulBrokerShutdown(ControlledShutdown controlled, SessionDrain drain,
                                          ShutdownProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                if (properties.controlled()) {
                    controlled.run(properties.controlledTimeout().toMillis());
                }
                int open = drain.drain(properties.drainTimeout());
                if (open > 0) {
                    LOG.warn("{} WebSocket sessions were still open after {}", open, properties.drainTimeout());
                }
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            /** The last phase: stops before the web server's graceful shutdown. */
            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE;
            }
        };
    }
}
