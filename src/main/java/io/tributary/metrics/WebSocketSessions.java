package io.tributary.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * {@code tributary.websocket.sessions{endpoint=consume|produce}}: WebSocket sessions open now.
 * Counted around the handler by decorating the server's {@link WebSocketService}, since the
 * request's own filter chain completes at the handshake: a session counts from the moment its
 * handler is subscribed until the handler's Mono terminates, which is when the session ends
 * (closed by either side, failed or cancelled). Thread safety: thread-safe.
 */
public final class WebSocketSessions implements MeterBinder {

    static final String SESSIONS = "tributary.websocket.sessions";

    private final Map<String, AtomicInteger> open = Map.of(
            "/ws/v1/consume", new AtomicInteger(), "/ws/v1/produce", new AtomicInteger());

    @Override
    public void bindTo(MeterRegistry registry) {
        open.forEach((path, count) -> Gauge.builder(SESSIONS, count, AtomicInteger::get)
                .description("WebSocket sessions open now")
                .tag("endpoint", path.substring(path.lastIndexOf('/') + 1)).register(registry));
    }

    /** {@code service}, counting the sessions of the endpoints above. */
    public WebSocketService decorate(WebSocketService service) {
        return new WebSocketService() {
            @Override
            public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
                AtomicInteger count = open.get(exchange.getRequest().getPath().pathWithinApplication().value());
                if (count == null) {
                    return service.handleRequest(exchange, handler);
                }
                return service.handleRequest(exchange, counted(handler, count));
            }
        };
    }

    private static WebSocketHandler counted(WebSocketHandler handler, AtomicInteger count) {
        return new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return handler.getSubProtocols();
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                return handler.handle(session)
                        .doOnSubscribe(s -> count.incrementAndGet())
                        .doFinally(signal -> count.decrementAndGet());
            }
        };
    }
}
