package io.tributary.api.ws;

import io.netty.channel.Channel;
import io.tributary.api.rest.GroupForwarding;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.group.CoordinatorRouter;
import io.tributary.group.CoordinatorRouter.Broker;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a consumer-group member's consume socket on a broker that does not coordinate its group:
 * the socket is relayed to the coordinator behind the scenes. The relay opens a WebSocket to the
 * coordinator's {@code /ws/v1/consume} with the same query, marked with
 * {@value GroupForwarding#FORWARDED_BY} so the coordinator never relays it again (a marked socket
 * reaching a broker that is not the coordinator gets NOT_COORDINATOR and a 1013 close), and
 * copies frames both ways unchanged.
 *
 * <p><b>Backpressure.</b> Each direction copies one frame at a time: the next frame is read from
 * one side only once the last one was written to the other (at most one more waits), so a slow
 * client slows the coordinator's stream instead of piling frames up here.
 *
 * <p><b>Ends.</b> A close from the client goes to the coordinator with the same status (so the
 * member leaves at once); a client whose connection drops drops the coordinator connection too
 * (so the member keeps its partitions for the resume grace period). A close from the coordinator
 * goes to the client with the same status, except when the coordinator went away: a 1001 (its
 * controlled shutdown) or a connection that ended without a close. The client then gets a final
 * error frame, {@code NOT_COORDINATOR}, retriable and fatal, and a 1012 (service restart) close:
 * it reconnects, to any broker, and joins again, continuing from the group's committed offsets.
 * A coordinator that cannot be reached at all gives the same frame and a 1013 close. The
 * coordinator sees this broker as the member's client address.
 *
 * <p>Thread safety: thread-safe.
 */
public final class CoordinatorRelay {

    /** The coordinator's frames are this broker's clients' frames: a records frame may hold one large record. */
    private static final int MAX_FRAME_BYTES = 64 << 20;
    /** How long the end of one side waits to learn the close status it came with. */
    private static final Duration CLOSE_STATUS_WAIT = Duration.ofSeconds(2);

    private final CoordinatorRouter router;
    private final HttpClient http;

    public CoordinatorRelay(CoordinatorRouter router, ReactorResourceFactory resources) {
        this.router = router;
        this.http = HttpClient.create(resources.getConnectionProvider()).runOn(resources.getLoopResources());
    }

    /**
     * The coordinator to relay {@code handshake} to: present for a group member's socket (not one
     * relayed here already) whose group another live broker coordinates. May block.
     */
    Optional<Broker> coordinatorFor(HandshakeInfo handshake) {
        if (GroupForwarding.isForwarded(handshake.getHeaders())) {
            return Optional.empty();
        }
        try {
            String group = QueryParams.of(handshake.getUri()).get("group");
            return group == null ? Optional.empty() : router.coordinatorElsewhere(group);
        } catch (TributaryException e) {
            return Optional.empty(); // a bad query: the socket is served here, which tells the client
        }
    }

    /** Relays {@code downstream} (the client's socket) to {@code coordinator} until either side ends. */
    Mono<Void> relay(WebSocketSession downstream, Broker coordinator) {
        URI handshake = downstream.getHandshakeInfo().getUri();
        URI target = UriComponentsBuilder.newInstance().scheme("ws").host(coordinator.host())
                .port(coordinator.port()).path(handshake.getRawPath()).query(handshake.getRawQuery())
                .build(true).toUri();
        HttpHeaders headers = new HttpHeaders();
        headers.set(GroupForwarding.FORWARDED_BY, Integer.toString(router.localBrokerId()));
        AtomicBoolean clientEnded = new AtomicBoolean();
        AtomicReference<Channel> upstreamChannel = new AtomicReference<>();
        ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(
                http.doOnConnected(c -> upstreamChannel.set(c.channel())),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME_BYTES));
        return client.execute(target, headers, upstream -> Mono.when(
                        toClient(downstream, upstream, clientEnded, coordinator),
                        toCoordinator(downstream, upstream, upstreamChannel.get(), clientEnded)))
                .onErrorResume(e -> clientEnded.get() || !downstream.isOpen() ? Mono.empty()
                        : fail(downstream, coordinator, "could not be reached (" + e.getMessage() + ")",
                        ErrorFrames.closeStatus(ErrorCode.NOT_COORDINATOR)));
    }

    /** The coordinator's frames to the client, then the coordinator's close. */
    private Mono<Void> toClient(WebSocketSession downstream, WebSocketSession upstream, AtomicBoolean clientEnded,
                                Broker coordinator) {
        return pipe(upstream, downstream)
                .then(closeStatus(upstream))
                .flatMap(status -> {
                    if (clientEnded.get() || !downstream.isOpen()) {
                        return Mono.empty();
                    }
                    if (wentAway(status)) {
                        return fail(downstream, coordinator, "went away (close " + status.getCode() + ")",
                                CloseStatus.SERVICE_RESTARTED);
                    }
                    return downstream.close(status).onErrorResume(e -> Mono.empty());
                });
    }

    /** The client's frames to the coordinator, then the client's close, or a dropped connection. */
    private Mono<Void> toCoordinator(WebSocketSession downstream, WebSocketSession upstream, Channel upstreamChannel,
                                     AtomicBoolean clientEnded) {
        return pipe(downstream, upstream)
                .then(Mono.defer(() -> {
                    clientEnded.set(true);
                    return closeStatus(downstream);
                }))
                .flatMap(status -> {
                    if (!upstream.isOpen()) {
                        return Mono.empty();
                    }
                    if (status.getCode() == CloseStatus.NO_CLOSE_FRAME.getCode()) {
                        upstreamChannel.close(); // no close frame, as the client's connection ended
                        return Mono.empty();
                    }
                    return upstream.close(status).onErrorResume(e -> Mono.empty());
                });
    }

    /**
     * Copies {@code from}'s frames to {@code to}, one at a time: the next frame is read once the
     * last one is written. Completes when {@code from}'s connection ends, whatever became of
     * {@code to} (frames for a closed {@code to} are dropped): the end of one side never cancels
     * the other side's reading, which would end its connection without its close handshake.
     */
    private static Mono<Void> pipe(WebSocketSession from, WebSocketSession to) {
        return from.receive()
                .map(WebSocketMessage::retain) // received payloads are released once handed on
                .concatMap(message -> to.send(Mono.just(message)).onErrorResume(e -> Mono.empty()), 1)
                .doOnDiscard(WebSocketMessage.class, WebSocketMessage::release)
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    private static boolean wentAway(CloseStatus status) {
        int code = status.getCode();
        return code == CloseStatus.GOING_AWAY.getCode() || code == CloseStatus.NO_CLOSE_FRAME.getCode()
                || code == CloseStatus.NO_STATUS_CODE.getCode();
    }

    /** The final error frame telling the client to reconnect, then the close. */
    private static Mono<Void> fail(WebSocketSession downstream, Broker coordinator, String what, CloseStatus close) {
        TributaryException error = new TributaryException(ErrorCode.NOT_COORDINATOR, "The coordinator of this group, "
                + "broker " + coordinator.id() + ", " + what + ": reconnect to join again");
        byte[] frame = ErrorFrames.error(error, true, null);
        return downstream.send(Mono.just(new WebSocketMessage(WebSocketMessage.Type.TEXT,
                        downstream.bufferFactory().wrap(frame))))
                .then(downstream.close(close))
                .onErrorResume(e -> Mono.empty());
    }

    /** How {@code session} ended: its close status, or NO_CLOSE_FRAME when the connection just ended. */
    private static Mono<CloseStatus> closeStatus(WebSocketSession session) {
        return session.closeStatus()
                .defaultIfEmpty(CloseStatus.NO_CLOSE_FRAME)
                .timeout(CLOSE_STATUS_WAIT, Mono.just(CloseStatus.NO_CLOSE_FRAME))
                .onErrorReturn(CloseStatus.NO_CLOSE_FRAME);
    }
}
