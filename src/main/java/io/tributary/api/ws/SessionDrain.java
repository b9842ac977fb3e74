package io.tributary.api.ws;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open streaming connections of this broker, so a shutdown can end them cleanly: every
 * WebSocket session is closed with 1001 (going away) after what was already written to it, and
 * every Server-Sent Events stream completes. Sessions are tracked by wrapping the
 * {@link WebSocketService} ({@link #guard}), so handlers need not know; event streams end through
 * {@link #untilDrained}. A session opened after the drain started is closed at once with 1001.
 *
 * <p>Thread safety: thread-safe.
 */
public final class SessionDrain {

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final Sinks.Empty<Void> draining = Sinks.empty();
    private volatile boolean drained;

    /** {@code delegate} with every session it opens tracked here. */
    public WebSocketService guard(WebSocketService delegate) {
        return (exchange, handler) -> delegate.handleRequest(exchange, track(handler));
    }

    /** {@code handler} with its sessions tracked here for as long as they are open. */
    public WebSocketHandler track(WebSocketHandler handler) {
        return new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return handler.getSubProtocols();
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                sessions.add(session);
                if (drained) {
                    sessions.remove(session);
                    return session.close(CloseStatus.GOING_AWAY);
                }
                return handler.handle(session).doFinally(signal -> sessions.remove(session));
            }
        };
    }

    /** {@code stream}, completing when the drain starts. */
    public <T> Flux<T> untilDrained(Flux<T> stream) {
        return stream.takeUntilOther(draining.asMono());
    }

    /** How many WebSocket sessions are open. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Completes every event stream, closes every WebSocket session with 1001 and waits up to
     * {@code timeout} for them to end; returns how many were still open then.
     */
    public int drain(Duration timeout) {
        drained = true;
        draining.tryEmitEmpty();
        try {
            Flux.fromIterable(List.copyOf(sessions))
                    .flatMap(session -> session.close(CloseStatus.GOING_AWAY).onErrorResume(e -> Mono.empty())
                            .then(session.closeStatus().timeout(timeout, Mono.empty()).onErrorResume(e -> Mono.empty()))
                            .doFinally(signal -> sessions.remove(session)))
                    .then()
                    .block(timeout.plusSeconds(1));
        } catch (RuntimeException e) {
            // timed out: report what is still open
        }
        return sessions.size();
    }
}
