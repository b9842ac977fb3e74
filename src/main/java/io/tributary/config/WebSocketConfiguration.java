package io.tributary.config;

import io.tributary.api.codec.ProduceRequestReader;
import io.tributary.api.ws.ConsumeHandler;
import io.tributary.api.ws.CoordinatorRelay;
import io.tributary.api.ws.ProduceHandler;
import io.tributary.api.ws.SessionDrain;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.group.CoordinatorRouter;
import io.tributary.group.GroupCoordinator;
import io.tributary.replication.ReplicaManager;
import io.tributary.service.ConsumeService;
import io.tributary.service.OffsetService;
import io.tributary.service.ProduceService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * Wiring of the streaming fronts: the consume service (its log reads run on Reactor's bounded
 * elastic pool, never on a Netty event loop), the WebSocket handlers at {@code /ws/v1/consume} and
 * {@code /ws/v1/produce} and the WebSocket server's frame size limit. ({@code tributary.streaming.*}
 * also sets the Server-Sent Events controller's read size and heartbeat.)
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketConfiguration implements WebFluxConfigurer {

    private final StreamingProperties properties;
    private final SessionDrain drain;

    public WebSocketConfiguration(StreamingProperties properties, SessionDrain drain) {
        this.properties = properties;
        this.drain = drain;
    }

    @Bean
    ConsumeService consumeService(ClusterMetadata cluster, ReplicaManager replicas, OffsetService offsets) {
        return new ConsumeService(cluster, replicas, offsets, task -> Schedulers.boundedElastic().schedule(task));
    }

    @Bean
    CoordinatorRelay coordinatorRelay(CoordinatorRouter router, ReactorResourceFactory resources) {
        return new CoordinatorRelay(router, resources);
    }

    @Bean
    ConsumeHandler consumeHandler(ConsumeService consume, GroupCoordinator groups, CoordinatorRelay relay,
                                  JsonMapper mapper) {
        return new ConsumeHandler(consume, groups, relay, mapper, (int) properties.readBytes().toBytes(),
                properties.readMaxRecords(), (int) properties.maxFrameBytes().toBytes());
    }

    @Bean
    ProduceHandler produceHandler(ProduceService produce, ConsumeService consume, ProduceRequestReader reader,
                                  JsonMapper mapper) {
        return new ProduceHandler(produce, consume, reader, mapper);
    }

    @Bean
    HandlerMapping webSocketMapping(ConsumeHandler consume, ProduceHandler produce) {
        return new SimpleUrlHandlerMapping(Map.of("/ws/v1/consume", consume, "/ws/v1/produce", produce), -1);
    }

    @Override
    public WebSocketService getWebSocketService() {
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, properties.maxIncomingFrame().toBytes());
        return drain.guard(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame))));
    }
}
