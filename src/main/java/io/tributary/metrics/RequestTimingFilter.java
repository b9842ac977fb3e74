package io.tributary.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Times REST produce ({@code POST /api/v1/topics/{topic}/records}) and fetch
 * ({@code GET /api/v1/topics/{topic}/partitions/{partition}/records}) requests as
 * {@code tributary.request.total.time{request=produce|fetch}}: from arrival to the end of the
 * response, long-poll wait included, as Kafka's {@code RequestMetrics TotalTimeMs}, with histogram
 * buckets for quantiles. Every outcome counts, errors included. Thread safety: thread-safe.
 */
public final class RequestTimingFilter implements WebFilter {

    static final String REQUEST_TIME = "tributary.request.total.time";
    private static final Pattern PRODUCE = Pattern.compile("/api/v1/topics/[^/]+/records/?");
    private static final Pattern FETCH = Pattern.compile("/api/v1/topics/[^/]+/partitions/[^/]+/records/?");

    private final MeterRegistry registry;
    private final Timer produceTime;
    private final Timer fetchTime;

    public RequestTimingFilter(MeterRegistry registry) {
        this.registry = registry;
        produceTime = requestTimer("produce");
        fetchTime = requestTimer("fetch");
    }

    private Timer requestTimer(String request) {
        return Timer.builder(REQUEST_TIME).description("Time from a request's arrival to the end of its response")
                .tag("request", request).publishPercentileHistogram().register(registry);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        HttpMethod method = exchange.getRequest().getMethod();
        Timer timer = HttpMethod.POST.equals(method) && PRODUCE.matcher(path).matches() ? produceTime
                : HttpMethod.GET.equals(method) && FETCH.matcher(path).matches() ? fetchTime : null;
        if (timer == null) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            Timer.Sample sample = Timer.start(registry);
            return chain.filter(exchange).doFinally(signal -> sample.stop(timer));
        });
    }
}
