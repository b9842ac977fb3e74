package io.tributary.api.ws;

import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.GroupCoordinator;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /ws/v1/consume}: streams records of the partitions the query names, as
 * {@code {"type":"records","records":[...]}} frames, from the positions {@code from} resolves to.
 * The query is checked and every start position resolved before anything is streamed; a bad
 * query gets an error frame and a close (see {@link ErrorFrames}). An explicit offset outside
 * {@code [logStartOffset, highWatermark]} of any partition is such an error (OFFSET_OUT_OF_RANGE,
 * close 1008), while the same on a later {@code seek} is refused without closing.
 *
 * <p>The subscription is a {@link ConsumeSession} with a fixed assignment; a consumer-group member
 * ({@code ?group=}) is the same session with an assignment that follows the group, driven by a
 * {@link GroupMembership}. A member whose socket closes with a close handshake leaves the group at
 * once; one whose connection drops keeps its partitions (delivering nothing) until it resumes with
 * its token or the grace period ends.
 *
 * <p>A group member's socket on a broker that does not coordinate its group is relayed to the
 * coordinator by a {@link CoordinatorRelay}: the client sees the coordinator's frames as if it had
 * connected there, and when the coordinator goes away it gets a retriable NOT_COORDINATOR error
 * frame and a 1012 close, reconnects and joins again. Thread safety: thread-safe.
 */
public final class ConsumeHandler implements WebSocketHandler {

    /** How long the end of a connection waits to learn whether a close frame came with it. */
    private static final Duration CLOSE_STATUS_WAIT = Duration.ofSeconds(2);

    private final ConsumeService consume;
    private final GroupCoordinator groups;
    private final CoordinatorRelay relay;
    private final JsonMapper mapper;
    private final int readBytes;
    private final int maxReadRecords;
    private final int maxFrameBytes;

    /**
     * @param readBytes      log bytes read per delivery (at least one batch)
     * @param maxReadRecords records per delivery
     * @param maxFrameBytes  the size of a records frame (a delivery may take several)
     */
    /** Group members connected here, by token: a member that resumes takes over from its old socket. */
    private final Map<String, GroupMembership> members = new ConcurrentHashMap<>();

    public ConsumeHandler(ConsumeService consume, GroupCoordinator groups, CoordinatorRelay relay, JsonMapper mapper,
                          int readBytes, int maxReadRecords, int maxFrameBytes) {
        this.consume = consume;
        this.groups = groups;
        this.relay = relay;
        this.mapper = mapper;
        this.readBytes = readBytes;
        this.maxReadRecords = maxReadRecords;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Mono<Void> handle(WebSocketSession ws) {
        return Mono.fromCallable(() -> relay.coordinatorFor(ws.getHandshakeInfo()))
                .subscribeOn(LogIoScheduler.get())
                .flatMap(coordinator -> coordinator.isPresent() ? relay.relay(ws, coordinator.get()) : serve(ws));
    }

    /** Serves the socket here: a plain subscription, or a member of a group this broker coordinates (or refuses). */
    private Mono<Void> serve(WebSocketSession ws) {
        Outbox out = new Outbox(ws);
        AtomicReference<ConsumeConnection> connection = new AtomicReference<>();
        AtomicReference<GroupMembership> member = new AtomicReference<>();
        return Mono.fromCallable(() -> start(ws, out, connection, member))
                .subscribeOn(LogIoScheduler.get())
                .flatMap(conn -> ws.receive().concatMap(conn::onMessage).then())
                .onErrorResume(e -> {
                    if (!ws.isOpen()) {
                        return Mono.empty();
                    }
                    TributaryException error = ErrorFrames.asTributary(e);
                    out.send(ErrorFrames.error(error, true, null));
                    return Mono.fromFuture(out.close(ErrorFrames.closeStatus(error.code())));
                })
                .doFinally(signal -> {
                    ConsumeConnection conn = connection.get();
                    if (conn != null) {
                        conn.close();
                    }
                    GroupMembership m = member.get();
                    if (m != null) {
                        ended(ws, out, m);
                    }
                });
    }

    /** A close frame from either side means the member left; none (the connection dropped) means it may resume. */
    private void ended(WebSocketSession ws, Outbox out, GroupMembership member) {
        if (member.token() != null) {
            members.remove(member.token(), member);
        }
        ws.closeStatus()
                .map(status -> status.getCode() != CloseStatus.NO_CLOSE_FRAME.getCode())
                .defaultIfEmpty(false)
                .timeout(CLOSE_STATUS_WAIT, Mono.just(false))
                .onErrorReturn(false)
                .subscribe(peerClosed -> member.ended(peerClosed || out.closeRequested()));
    }

    private ConsumeConnection start(WebSocketSession ws, Outbox out, AtomicReference<ConsumeConnection> holder,
                                    AtomicReference<GroupMembership> member) {
        ConsumeRequest request = ConsumeRequest.parse(QueryParams.of(ws.getHandshakeInfo().getUri()), consume);
        if (request.group() != null) {
            return startMember(ws, out, request, holder, member);
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : request.partitions()) {
            positions.put(tp, consume.resolve(tp, request.from()));
        }
        ConsumeConnection connection = new ConsumeConnection(out, consume, mapper, request, maxFrameBytes);
        holder.set(connection);
        ConsumeSession session = consume.open(connection,
                new ConsumeSession.Options(readBytes, maxReadRecords, request.creditMode()),
                ConsumeSession.DeliveryListener.NONE);
        connection.attach(session);
        session.assign(positions);
        return connection;
    }

    /** Joins the group; the coordinator's assignments then start and stop the session's partitions. */
    private ConsumeConnection startMember(WebSocketSession ws, Outbox out, ConsumeRequest request,
                                          AtomicReference<ConsumeConnection> holder,
                                          AtomicReference<GroupMembership> member) {
        ConsumeRequest.GroupOptions options = request.group();
        ConsumeConnection connection = new ConsumeConnection(out, consume, mapper, request, maxFrameBytes);
        holder.set(connection);
        AtomicReference<GroupMembership> self = new AtomicReference<>();
        ConsumeSession session = consume.open(connection,
                new ConsumeSession.Options(readBytes, maxReadRecords, request.creditMode()),
                positions -> self.get().delivered(positions));
        connection.attach(session);
        InetSocketAddress remote = ws.getHandshakeInfo().getRemoteAddress();
        GroupMembership membership = new GroupMembership(groups, options, out, session,
                Schedulers.boundedElastic().createWorker(), remote == null ? null : remote.getHostString());
        self.set(membership);
        connection.attach(membership);
        if (options.resumeToken() != null) {
            GroupMembership previous = members.remove(options.resumeToken());
            if (previous != null) {
                previous.supersede();
            }
        }
        member.set(membership);
        membership.join();
        members.put(membership.token(), membership);
        return connection;
    }
}
