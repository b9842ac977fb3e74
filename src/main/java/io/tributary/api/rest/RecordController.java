package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.api.codec.NdjsonLines;
import io.tributary.api.codec.RecordCodec;
import io.tributary.api.codec.RecordFormat;
import io.tributary.api.codec.RecordInput;
import io.tributary.api.codec.RecordOutput;
import io.tributary.api.codec.ProduceRequestReader;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.replication.Acks;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.FetchService;
import io.tributary.service.OffsetService;
import io.tributary.service.ProduceService;
import io.tributary.service.RecordPosition;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Producing records to a topic and reading them back from a partition. */
@RestController
@RequestMapping("/api/v1/topics/{topic}")
@Tag(name = "Records", description = "Produce records; fetch them by partition and offset")
public class RecordController {

    /** What {@code POST .../records} takes. */
    public record ProduceRequest(List<RecordInput> records) {
    }

    /** Where each record landed, in request order. */
    public record ProduceResponse(List<RecordPosition> offsets) {
    }

    /** Records read from a partition. */
    public record FetchResponse(List<RecordOutput> records, long nextOffset, long highWatermark, long logStartOffset) {
    }

    private static final String NDJSON = "application/x-ndjson";
    private static final String PROBLEM = TopicController.PROBLEM;
    private static final String PARTITION = "Partition number, from 0";

    private final ProduceService produce;
    private final FetchService fetch;
    private final OffsetService offsets;
    private final RecordCodec codec;
    private final ProduceRequestReader requests;
    private final JsonMapper mapper;

    public RecordController(ProduceService produce, FetchService fetch, OffsetService offsets, RecordCodec codec,
                            ProduceRequestReader requests, JsonMapper mapper) {
        this.requests = requests;
        this.mapper = mapper;
        this.produce = produce;
        this.fetch = fetch;
        this.offsets = offsets;
        this.codec = codec;
    }

    @PostMapping(value = "/records", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Produce records",
            description = "Keys pick partitions by murmur2 like Kafka's default partitioner; records without a key are "
                    + "spread evenly. All-or-nothing per partition.\n\n"
                    + "With Content-Type application/x-ndjson the body is a stream of records, one JSON object per "
                    + "line, and the answer a stream of positions, one per line, in order. Records are appended in "
                    + "chunks as they arrive; an error ends the answer with a final {\"error\":{...}} line (status "
                    + "200, as positions may already have been sent). Records whose positions came back were written; "
                    + "the chunk with the bad record was not. A stream needs acks 1 or all (the default).")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProduceRequest.class),
                    examples = @ExampleObject(name = "batch", value = "{\"records\":[{\"key\":\"user-1\","
                            + "\"value\":{\"action\":\"login\"},\"headers\":{\"source\":\"web\"}},"
                            + "{\"value\":\"no key\"}]}")),
            @Content(mediaType = NDJSON, schema = @Schema(implementation = RecordInput.class),
                    examples = @ExampleObject(name = "stream", value = "{\"key\":\"user-1\",\"value\":{\"n\":1}}\n"
                            + "{\"value\":{\"n\":2}}\n"))})
    @ApiResponse(responseCode = "200", description = "Written; positions in request order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProduceResponse.class),
                    examples = @ExampleObject(name = "written", value = "{\"offsets\":[{\"partition\":2,\"offset\":41,"
                            + "\"timestamp\":1764028800000},{\"partition\":0,\"offset\":17,\"timestamp\":1764028800000}]}")),
            @Content(mediaType = NDJSON, schema = @Schema(implementation = StreamResult.class), examples = {
                    @ExampleObject(name = "written", value = "{\"partition\":2,\"offset\":41,\"timestamp\":1764028800000}\n"
                            + "{\"partition\":0,\"offset\":17,\"timestamp\":1764028800000}\n"),
                    @ExampleObject(name = "ended by an error", value = "{\"partition\":0,\"offset\":18,"
                            + "\"timestamp\":1764028800000}\n{\"error\":{\"code\":\"PARTITION_NOT_FOUND\","
                            + "\"retriable\":false,\"detail\":\"Topic 'orders' has 6 partitions; there is no "
                            + "partition 7\"}}\n")})})
    @ApiResponse(responseCode = "202", description = "acks=0: accepted without waiting; no positions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProduceResponse.class),
                    examples = @ExampleObject(name = "accepted", value = "{\"offsets\":[]}")))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no records, a bad acks or format, a bad record",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "malformed JSON", value = ProblemExamples.MALFORMED_JSON),
                    @ExampleObject(name = "bad acks", value = ProblemExamples.BAD_ACKS)}))
    @ApiResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND),
                    @ExampleObject(name = "PARTITION_NOT_FOUND", value = ProblemExamples.PARTITION_NOT_FOUND)}))
    @ApiResponse(responseCode = "413", description = "A record over max.message.bytes, or the body over the size limit",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "RECORD_TOO_LARGE", value = ProblemExamples.RECORD_TOO_LARGE),
                    @ExampleObject(name = "REQUEST_TOO_LARGE", value = ProblemExamples.REQUEST_TOO_LARGE)}))
    @ApiResponse(responseCode = "503", description = "Retriable: NOT_LEADER, NOT_ENOUGH_REPLICAS, STORAGE_ERROR",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "NOT_LEADER", value = ProblemExamples.NOT_LEADER)))
    public Mono<ResponseEntity<ProduceResponse>> produce(
            @Parameter(description = TopicController.TOPIC_NAME, example = "orders") @PathVariable String topic,
            @Parameter(description = "When to answer: 0 at once (202, no positions), 1 once the leader wrote "
                    + "the records, all (default) once every in-sync replica has them", example = "all")
            @RequestParam(required = false) String acks,
            @Parameter(description = "How keys are given: string (default), json or base64", example = "string")
            @RequestParam(required = false) String keyFormat,
            @Parameter(description = "How values are given: json (default), string or base64", example = "json")
            @RequestParam(required = false) String valueFormat,
            @RequestBody byte[] body) {
        Acks level = Acks.parse(acks);
        RecordFormat keys = RecordFormat.parse(keyFormat, RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(valueFormat, RecordFormat.JSON);
        return Mono.defer(() -> Mono.fromFuture(produce.produce(topic, requests.read(body, keys, values), level)))
                .subscribeOn(LogIoScheduler.get())
                .publishOn(Schedulers.parallel())
                .map(positions -> level == Acks.NONE
                        ? ResponseEntity.status(HttpStatus.ACCEPTED).body(new ProduceResponse(positions))
                        : ResponseEntity.ok(new ProduceResponse(positions)));
    }

    /** One line of an NDJSON produce response: a record's position, or the error that ended the stream. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record StreamResult(Integer partition, Long offset, Long timestamp, StreamError error) {
        static StreamResult of(RecordPosition p) {
            return new StreamResult(p.partition(), p.offset(), p.timestamp(), null);
        }
    }

    /** The error that ended an NDJSON produce stream; records before it were written. */
    public record StreamError(String code, boolean retriable, String detail) {
    }

    /** Network chunks of an NDJSON stream gathered into one append: at most this many... */
    private static final int STREAM_CHUNK_BUFFERS = 16;
    /** ...or those that arrived within this time. */
    private static final Duration STREAM_LINGER = Duration.ofMillis(2);
    /** The longest NDJSON line accepted: the default request body limit of application.yml. */
    private static final int MAX_STREAM_LINE_BYTES = 16 * 1024 * 1024;

    /** Documented with {@link #produce}: one path and method is one OpenAPI operation, whatever the body type. */
    @PostMapping(value = "/records", consumes = NDJSON, produces = NDJSON)
    @Operation(hidden = true)
    public Flux<DataBuffer> produceStream(
            @PathVariable String topic,
            @RequestParam(required = false) String acks,
            @RequestParam(required = false) String keyFormat,
            @RequestParam(required = false) String valueFormat,
            @RequestBody Flux<DataBuffer> body) {
        Acks level = Acks.parse(acks == null ? "all" : acks);
        if (level == Acks.NONE) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A produce stream answers with positions: use acks 1 or all");
        }
        RecordFormat keys = RecordFormat.parse(keyFormat, RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(valueFormat, RecordFormat.JSON);
        // Lines are read straight from the network chunks by the streaming reader (values kept as the
        // bytes sent) and appended a chunk at a time: no per-record JSON tree, no per-record signal.
        NdjsonLines lines = new NdjsonLines(MAX_STREAM_LINE_BYTES);
        return body
                .map(RecordController::drain)
                .bufferTimeout(STREAM_CHUNK_BUFFERS, STREAM_LINGER, true)
                .map(chunks -> lines.append(concat(chunks)))
                .concatWith(Mono.fromSupplier(lines::finish))
                .filter(whole -> whole.length > 0)
                .publishOn(LogIoScheduler.get(), 4)
                .concatMap(whole -> Mono.fromCallable(() -> requests.readLines(whole, keys, values))
                        .filter(records -> !records.isEmpty())
                        .map(records -> produce.produce(topic, records, level)), 4)
                .flatMapSequential(Mono::fromFuture, 8)
                .publishOn(Schedulers.parallel())
                .map(RecordController::positionLines)
                .onErrorResume(e -> Mono.fromCallable(() -> errorLine(e)));
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static byte[] concat(List<byte[]> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream(chunks.stream().mapToInt(c -> c.length).sum());
        chunks.forEach(joined::writeBytes);
        return joined.toByteArray();
    }

    /** Positions as NDJSON, as Jackson would write each {@link StreamResult}. */
    private static DataBuffer positionLines(List<RecordPosition> positions) {
        StringBuilder text = new StringBuilder(positions.size() * 56);
        for (RecordPosition p : positions) {
            text.append("{\"partition\":").append(p.partition()).append(",\"offset\":").append(p.offset())
                    .append(",\"timestamp\":").append(p.timestamp()).append("}\n");
        }
        return DefaultDataBufferFactory.sharedInstance.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private DataBuffer errorLine(Throwable e) {
        byte[] json = mapper.writeValueAsBytes(new StreamResult(null, null, null, streamError(e)));
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return DefaultDataBufferFactory.sharedInstance.wrap(line);
    }

    private static StreamError streamError(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TributaryException t) {
            return new StreamError(t.code().name(), t.code().retriable(), t.getMessage());
        }
        return new StreamError(ErrorCode.INVALID_REQUEST.name(), false, String.valueOf(cause.getMessage()));
    }

    @GetMapping("/partitions/{partition}/records")
    @Operation(summary = "Fetch records from a partition",
            description = "Committed records (below the high watermark) from offset on. When there is nothing at the "
                    + "offset yet, waits up to maxWaitMs for records to arrive and answers as soon as they do; "
                    + "otherwise answers with no records. nextOffset is where to fetch next.")
    @ApiResponse(responseCode = "200", description = "Records from offset on; possibly none",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = FetchResponse.class),
                    examples = @ExampleObject(name = "records", value = "{\"records\":[{\"partition\":0,\"offset\":41,"
                            + "\"timestamp\":1764028800000,\"key\":\"user-1\",\"value\":{\"action\":\"login\"},"
                            + "\"headers\":{\"source\":\"web\"}}],\"nextOffset\":42,\"highWatermark\":42,"
                            + "\"logStartOffset\":0}")))
    @ApiResponse(responseCode = "400", description = "A bad format, or maxRecords / maxBytes not positive (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_FORMAT)))
    @ApiResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND),
                    @ExampleObject(name = "PARTITION_NOT_FOUND", value = ProblemExamples.PARTITION_NOT_FOUND)}))
    @ApiResponse(responseCode = "416", description = "Offset outside the log (OFFSET_OUT_OF_RANGE) with the valid range",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "OFFSET_OUT_OF_RANGE", value = ProblemExamples.OFFSET_OUT_OF_RANGE)))
    @ApiResponse(responseCode = "503", description = "Retriable: this broker does not lead the partition (NOT_LEADER)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "NOT_LEADER", value = ProblemExamples.NOT_LEADER)))
    public Mono<FetchResponse> fetch(
            @Parameter(description = TopicController.TOPIC_NAME, example = "orders") @PathVariable String topic,
            @Parameter(description = PARTITION, example = "0") @PathVariable int partition,
            @Parameter(description = "First offset to read", example = "0") @RequestParam(defaultValue = "0") long offset,
            @Parameter(description = "At most this many records", example = "100")
            @RequestParam(defaultValue = "500") int maxRecords,
            @Parameter(description = "At most about this many bytes of records (at least one record is returned)",
                    example = "1048576") @RequestParam(defaultValue = "1048576") int maxBytes,
            @Parameter(description = "How long to wait for records when there are none yet, up to 60000",
                    example = "5000") @RequestParam(defaultValue = "0") long maxWaitMs,
            @Parameter(description = "How to render keys: string (default), json or base64", example = "string")
            @RequestParam(required = false) String keyFormat,
            @Parameter(description = "How to render values: json (default), string or base64", example = "json")
            @RequestParam(required = false) String valueFormat) {
        RecordFormat keys = RecordFormat.parse(keyFormat, RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(valueFormat, RecordFormat.JSON);
        TopicPartition tp = offsets.requirePartition(topic, partition);
        return Mono.defer(() -> Mono.fromFuture(fetch.fetch(tp, offset, maxRecords, maxBytes, Math.min(maxWaitMs, 60_000))))
                .subscribeOn(LogIoScheduler.get())
                .publishOn(Schedulers.parallel())
                .map(result -> new FetchResponse(result.records().stream()
                        .map(r -> codec.encode(partition, r, keys, values)).toList(),
                        result.nextOffset(), result.highWatermark(), result.logStartOffset()));
    }

    @GetMapping("/partitions/{partition}/offsets")
    @Operation(summary = "A partition's offsets", description = "Earliest and latest, and with ?timestamp= the first "
            + "offset at or after that time")
    @ApiResponse(responseCode = "200", description = "The offsets; offsetForTimestamp is latest when no record is that late",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OffsetService.PartitionOffsets.class),
                    examples = @ExampleObject(name = "offsets", value = "{\"partition\":0,\"earliest\":0,\"latest\":42,"
                            + "\"timestamp\":1764028800000,\"offsetForTimestamp\":17}")))
    @ApiResponse(responseCode = "400", description = "timestamp is not a number (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_PARAMETER)))
    @ApiResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND),
                    @ExampleObject(name = "PARTITION_NOT_FOUND", value = ProblemExamples.PARTITION_NOT_FOUND)}))
    public Mono<OffsetService.PartitionOffsets> offsets(
            @Parameter(description = TopicController.TOPIC_NAME, example = "orders") @PathVariable String topic,
            @Parameter(description = PARTITION, example = "0") @PathVariable int partition,
            @Parameter(description = "Epoch milliseconds: also find the first offset with a timestamp at or after it",
                    example = "1764028800000") @RequestParam(required = false) Long timestamp) {
        TopicPartition tp = offsets.requirePartition(topic, partition);
        return TopicController.blocking(() -> offsets.offsets(tp, timestamp));
    }
}
