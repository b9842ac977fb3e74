package io.tributary.api.rest;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.group.CoordinatorRouter;
import io.tributary.group.CoordinatorRouter.Broker;
import io.tributary.group.GroupSummary;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes every broker serve every group: a request under {@code /api/v1/groups/{group}} that
 * reaches a broker not coordinating the group is forwarded over HTTP to the coordinator (found by
 * {@link CoordinatorRouter}), and the coordinator's answer, status, headers (X-Member-Token,
 * Location, ...), body and problem details, is relayed unchanged. The body streams both ways as it
 * comes, so a long-polling fetch waits at the coordinator.
 *
 * <p><b>No loops.</b> A forwarded request carries {@value #FORWARDED_BY} (the forwarding broker's
 * id) and is never forwarded again: a broker that does not coordinate the group by its own view
 * answers it with {@code NOT_COORDINATOR}. A request with no known live coordinator is served here
 * and gets the same retriable problem, as does one whose coordinator cannot be reached.
 *
 * <p>The coordinator sees the forwarding broker as the client, so the audit trail records that
 * broker's address for a forwarded commit. {@link #withOtherBrokers} gathers the groups every
 * other live broker coordinates, for the cluster-wide list. Thread safety: thread-safe.
 */
public final class GroupForwarding implements WebFilter {

    /** Marks a request one broker forwarded to another, with the forwarding broker's id. */
    public static final String FORWARDED_BY = "X-Tributary-Forwarded-By";

    /** Longer than the longest long-polling fetch (60 s) between two reads of a forwarded answer. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);
    private static final PathPattern GROUP_PATH = PathPatternParser.defaultInstance.parse("/api/v1/groups/{group}/**");
    /** Hop-by-hop headers, and Host: they describe one connection, not the request. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authenticate", "proxy-authorization", "host");

    private final CoordinatorRouter router;
    private final WebClient web;
    private final HttpMessageWriter<?> problemWriter;

    public GroupForwarding(CoordinatorRouter router, ReactorResourceFactory resources, ServerCodecConfigurer codecs) {
        this.router = router;
        this.web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(resources, http -> http.responseTimeout(RESPONSE_TIMEOUT)))
                .build();
        this.problemWriter = codecs.getWriters().stream()
                .filter(w -> w.canWrite(ResolvableType.forClass(ProblemDetail.class), MediaType.APPLICATION_PROBLEM_JSON))
                .findFirst().orElseThrow();
    }

    /** Whether {@code request} was forwarded here by another broker. */
    public static boolean isForwarded(HttpHeaders headers) {
        return headers.containsHeader(FORWARDED_BY);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathPattern.PathMatchInfo match = GROUP_PATH.matchAndExtract(request.getPath().pathWithinApplication());
        if (match == null || isForwarded(request.getHeaders())) {
            return chain.filter(exchange);
        }
        String group = match.getUriVariables().get("group");
        return Mono.fromCallable(() -> router.coordinatorElsewhere(group))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(TributaryException.class, e -> Mono.just(Optional.empty())) // answered here
                .flatMap(coordinator -> coordinator.isPresent() ? forward(exchange, coordinator.get())
                        : chain.filter(exchange));
    }

    /** Sends the request to {@code target} and relays its answer as it comes. */
    private Mono<Void> forward(ServerWebExchange exchange, Broker target) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        URI uri = UriComponentsBuilder.newInstance().scheme("http").host(target.host()).port(target.port())
                .path(request.getURI().getRawPath()).query(request.getURI().getRawQuery()).build(true).toUri();
        WebClient.RequestBodySpec call = web.method(request.getMethod()).uri(uri).headers(h -> {
            copy(request.getHeaders(), h);
            h.set(FORWARDED_BY, Integer.toString(router.localBrokerId()));
        });
        HttpHeaders headers = request.getHeaders();
        WebClient.RequestHeadersSpec<?> withBody = headers.getContentLength() > 0
                || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)
                ? call.body(BodyInserters.fromDataBuffers(request.getBody())) : call;
        return withBody.exchangeToMono(answer -> {
                    response.setStatusCode(answer.statusCode());
                    copy(answer.headers().asHttpHeaders(), response.getHeaders());
                    return response.writeWith(answer.bodyToFlux(DataBuffer.class));
                })
                .onErrorResume(e -> !response.isCommitted(), e -> refuse(exchange, new TributaryException(
                        ErrorCode.NOT_COORDINATOR, "The coordinator of this group, broker " + target.id()
                        + ", could not be reached: " + e.getMessage())));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, TributaryException error) {
        ProblemDetail problem = ApiExceptionHandler.problem(error.code(), error.getMessage());
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().clear();
        response.setStatusCode(ErrorStatus.of(error.code()));
        @SuppressWarnings("unchecked")
        HttpMessageWriter<ProblemDetail> writer = (HttpMessageWriter<ProblemDetail>) problemWriter;
        return writer.write(Mono.just(problem), ResolvableType.forClass(ProblemDetail.class),
                MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
    }

    /**
     * {@code local} (the groups this broker coordinates) with the groups every other live broker
     * coordinates, asked with the forwarding mark, by group id. BROKER_NOT_AVAILABLE (retriable)
     * when a broker does not answer: a list missing its groups would look complete.
     */
    public Mono<List<GroupSummary>> withOtherBrokers(List<GroupSummary> local) {
        return Flux.fromIterable(router.otherBrokers())
                .flatMap(this::groupsOf)
                .collectList()
                .map(others -> {
                    Map<String, GroupSummary> merged = new TreeMap<>();
                    local.forEach(g -> merged.put(g.group(), g));
                    others.forEach(g -> merged.putIfAbsent(g.group(), g));
                    return List.copyOf(merged.values());
                });
    }

    private Flux<GroupSummary> groupsOf(Broker broker) {
        return web.get().uri(UriComponentsBuilder.newInstance().scheme("http").host(broker.host()).port(broker.port())
                        .path("/api/v1/groups").build().toUri())
                .header(FORWARDED_BY, Integer.toString(router.localBrokerId()))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToFlux(GroupSummary.class)
                .timeout(LIST_TIMEOUT)
                .onErrorMap(e -> new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "Broker " + broker.id()
                        + " did not list the groups it coordinates: " + e.getMessage()));
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        from.forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                to.put(name, new ArrayList<>(values));
            }
        });
    }
}
