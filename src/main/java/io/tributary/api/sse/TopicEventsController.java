package io.tributary.api.sse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.api.codec.RecordFormat;
import io.tributary.api.codec.RecordJsonWriter;
import io.tributary.common.TopicPartition;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.ConsumeService;
import io.tributary.service.ConsumeSession;
import io.tributary.service.StartPosition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.tributary.api.rest.Problem;
import io.tributary.api.rest.ProblemExamples;
import io.tributary.api.rest.TopicController;
import io.tributary.api.ws.SessionDrain;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A topic as a stream of Server-Sent Events. Everything is checked, and every start position
 * resolved, before the stream starts, so bad input is a problem detail (a bad {@code Last-Event-ID}
 * is a 400, a resume point the log no longer holds a 416), never a broken stream.
 */
@RestController
@RequestMapping("/api/v1/topics/{topic}")
@Tag(name = "Records", description = "Produce records; fetch them by partition and offset")
public class TopicEventsController {

    private static final String PROBLEM = TopicController.PROBLEM;

    private final ConsumeService consume;
    private final int readBytes;
    private final Duration heartbeat;
    private final SessionDrain drain;

    public TopicEventsController(ConsumeService consume, SessionDrain drain,
                                 @Value("${tributary.streaming.event-read-bytes:64KB}") DataSize readBytes,
                                 @Value("${tributary.streaming.heartbeat:15s}") Duration heartbeat) {
        this.consume = consume;
        this.drain = drain;
        this.readBytes = (int) readBytes.toBytes();
        this.heartbeat = heartbeat;
    }

    /** The positions to start from, resolved, and how records are written. */
    private record Start(List<TopicPartition> partitions, long[] positions, RecordFormat keys, RecordFormat values) {
    }

    @GetMapping("/events")
    @Operation(summary = "Stream a topic as Server-Sent Events",
            description = "Every partition of the topic, live, one record per event (data: the record as JSON, as on "
                    + "the WebSocket). Each event's id is the next offset of every partition, <partition>:<offset> "
                    + "joined by commas; reconnecting with that id in Last-Event-ID resumes with no gap and no "
                    + "duplicate (partitions the id does not name start at earliest). Comment lines keep an idle "
                    + "stream alive. A failure ends the stream with an 'error' event.")
    @ApiResponse(responseCode = "200", description = "The event stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, examples = @ExampleObject(value =
            "id: 0:42,1:17,2:0\ndata: {\"topic\":\"orders\",\"partition\":0,\"offset\":41,\"timestamp\":1764028800000,"
                    + "\"key\":\"user-1\",\"value\":{\"item\":\"book\"},\"headers\":{}}\n\n")))
    @ApiResponse(responseCode = "400", description = "A bad parameter or Last-Event-ID (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_FORMAT)))
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND)))
    @ApiResponse(responseCode = "416", description = "A start or resume offset outside the log (OFFSET_OUT_OF_RANGE)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "OFFSET_OUT_OF_RANGE", value = ProblemExamples.OFFSET_OUT_OF_RANGE)))
    public Mono<Void> events(
            @Parameter(description = TopicController.TOPIC_NAME, example = "orders") @PathVariable String topic,
            @Parameter(description = "earliest, latest, an offset or time:<epochMs>; ignored for the partitions "
                    + "Last-Event-ID names", example = "earliest") @RequestParam(required = false) String from,
            @Parameter(description = "json, string or base64", example = "string") @RequestParam(required = false) String keyFormat,
            @Parameter(description = "json, string or base64", example = "json") @RequestParam(required = false) String valueFormat,
            @Parameter(description = "The id of the last event received, to resume after it", example = "0:42,1:17,2:0")
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            ServerHttpResponse response) {
        return Mono.fromCallable(() -> start(topic, from, keyFormat, valueFormat, lastEventId))
                .subscribeOn(LogIoScheduler.get())
                .flatMap(start -> {
                    HttpHeaders headers = response.getHeaders();
                    headers.setContentType(MediaType.TEXT_EVENT_STREAM);
                    headers.setCacheControl("no-cache");
                    headers.set("X-Accel-Buffering", "no");
                    return response.writeAndFlushWith(drain.untilDrained(stream(start, response)).map(Mono::just));
                });
    }

    private Start start(String topic, String from, String keyFormat, String valueFormat, String lastEventId) {
        RecordFormat keys = RecordFormat.parse(keyFormat, RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(valueFormat, RecordFormat.JSON);
        StartPosition start = StartPosition.parse(from, StartPosition.LATEST);
        List<TopicPartition> partitions = consume.partitions(topic);
        Map<Integer, Long> resume = lastEventId == null || lastEventId.isBlank()
                ? null : EventId.parse(lastEventId, partitions.size());
        long[] positions = new long[partitions.size()];
        for (TopicPartition tp : partitions) {
            StartPosition position = resume == null ? start
                    : resume.containsKey(tp.partition()) ? StartPosition.offset(resume.get(tp.partition()))
                    : StartPosition.EARLIEST;
            positions[tp.partition()] = consume.resolve(tp, position);
        }
        return new Start(partitions, positions, keys, values);
    }

    private Flux<DataBuffer> stream(Start start, ServerHttpResponse response) {
        return Flux.create(sink -> {
            EventStream events = new EventStream(sink, response.bufferFactory(),
                    new RecordJsonWriter(start.keys(), start.values()), start.positions());
            ConsumeSession session = consume.open(events, new ConsumeSession.Options(readBytes, 10_000, false),
                    ConsumeSession.DeliveryListener.NONE);
            Disposable ticks = Schedulers.parallel().schedulePeriodically(events::heartbeat,
                    heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            sink.onRequest(n -> events.onRequest());
            sink.onDispose(() -> {
                ticks.dispose();
                session.close();
            });
            Map<TopicPartition, Long> positions = new LinkedHashMap<>();
            for (TopicPartition tp : start.partitions()) {
                positions.put(tp, start.positions()[tp.partition()]);
            }
            session.assign(positions);
        });
    }
}
