package io.tributary.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.cluster.ZkClusterMetadata;
import io.tributary.group.GroupAdmin;
import io.tributary.log.LogManager;
import io.tributary.metrics.RequestTimingFilter;
import io.tributary.metrics.TributaryMetrics;
import io.tributary.metrics.WebSocketSessions;
import io.tributary.replication.ReplicaManager;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/**
 * The broker's metrics ({@link TributaryMetrics}, bound by Spring Boot to the Prometheus
 * registry), the WebSocket session count, the filter timing produce and fetch requests, and the
 * thread that refreshes per-partition and per-group rows every
 * {@code tributary.metrics.refresh-interval} (default 10s).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsConfiguration.class);

    /** The refresh thread; closed with the context. */
    public record MetricsRefresher(ScheduledExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean
    TributaryMetrics tributaryMetrics(ReplicaManager replicas, LogManager logs, ZkClusterMetadata cluster,
                                      ObjectProvider<GroupAdmin> groups) {
        return new TributaryMetrics(replicas, logs, cluster, groups.getIfAvailable());
    }

    @Bean(destroyMethod = "close")
    MetricsRefresher metricsRefresher(TributaryMetrics metrics,
                                      @Value("${tributary.metrics.refresh-interval:10s}") Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-metrics");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                metrics.refresh();
            } catch (RuntimeException e) {
                LOG.warn("Refreshing metrics failed: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return new MetricsRefresher(executor);
    }

    @Bean
    RequestTimingFilter requestTimingFilter(MeterRegistry registry) {
        return new RequestTimingFilter(registry);
    }

    @Bean
    static WebSocketSessions webSocketSessions() {
        return new WebSocketSessions();
    }

    /** Counts sessions around every WebSocket handler: the adapter's service, decorated. */
    @Bean
    static BeanPostProcessor webSocketSessionCounting(ObjectProvider<WebSocketSessions> sessions) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof WebSocketHandlerAdapter adapter) {
                    WebSocketHandlerAdapter counting = new WebSocketHandlerAdapter(
                            sessions.getObject().decorate(adapter.getWebSocketService()));
                    counting.setOrder(adapter.getOrder());
                    return counting;
                }
                return bean;
            }
        };
    }
}
