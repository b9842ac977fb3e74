package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.metadata.CatalogPage;
import io.tributary.metadata.TopicCatalog;
import io.tributary.metadata.TopicSummary;
import io.tributary.replication.LogIoScheduler;
import io.tributary.service.TopicDescription;
import io.tributary.service.TopicService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Map;

/** Topics: create, list, describe, change, delete. */
@RestController
@Validated
@RequestMapping("/api/v1/topics")
@Tag(name = "Topics", description = "Create, list, describe, change and delete topics")
public class TopicController {

    /** What {@code POST /api/v1/topics} takes. */
    public record CreateTopicRequest(
            @Schema(example = "orders", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull String name,
            @Schema(example = "6", defaultValue = "1") Integer partitions,
            @Schema(example = "1", defaultValue = "1") Integer replicationFactor,
            @Schema(example = "{\"retention.ms\":\"604800000\"}") Map<String, String> configs) {
    }

    /** What {@code PATCH /api/v1/topics/{topic}} takes; absent fields stay as they are. */
    public record UpdateTopicRequest(
            @Schema(description = "Replaces every override", example = "{\"retention.ms\":\"86400000\"}")
            Map<String, String> configs,
            @Schema(description = "Grow to this many partitions", example = "12") Integer partitions) {
    }

    public static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    public static final String TOPIC_NAME = "Topic name";
    private static final String TOPIC = "{\"name\":\"orders\",\"internal\":false,\"replicationFactor\":1,"
            + "\"configs\":{\"retention.ms\":\"604800000\"},\"partitions\":[{\"partition\":0,\"leader\":1,"
            + "\"leaderEpoch\":0,\"replicas\":[1],\"isr\":[1],\"logStartOffset\":0,\"highWatermark\":42}],"
            + "\"createdAtMs\":1764028800000}";

    private final TopicService topics;
    private final TopicCatalog catalog;

    public TopicController(TopicService topics, TopicCatalog catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @PostMapping
    @Operation(summary = "Create a topic",
            description = "Names are 1 to 249 of ASCII letters, digits, '.', '_' and '-', not '.' or '..', and not "
                    + "starting with '__' (internal topics). Configs override the broker's defaults for this topic.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = CreateTopicRequest.class), examples = @ExampleObject(name = "orders",
            value = "{\"name\":\"orders\",\"partitions\":6,\"replicationFactor\":1,"
                    + "\"configs\":{\"retention.ms\":\"604800000\"}}")))
    @ApiResponse(responseCode = "201", description = "Created; the body describes the topic, Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TopicDescription.class),
                    examples = @ExampleObject(name = "created", value = TOPIC)))
    @ApiResponse(responseCode = "400", description = "Bad name, partition count, replication factor or config",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "INVALID_TOPIC_NAME", value = ProblemExamples.INVALID_TOPIC_NAME),
                    @ExampleObject(name = "INVALID_PARTITIONS", value = ProblemExamples.INVALID_PARTITIONS),
                    @ExampleObject(name = "INVALID_REPLICATION_FACTOR", value = ProblemExamples.INVALID_REPLICATION_FACTOR),
                    @ExampleObject(name = "INVALID_CONFIG", value = ProblemExamples.INVALID_CONFIG),
                    @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.MISSING_FIELD)}))
    @ApiResponse(responseCode = "409", description = "A topic with that name exists (TOPIC_ALREADY_EXISTS)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_ALREADY_EXISTS", value = ProblemExamples.TOPIC_ALREADY_EXISTS)))
    @ApiResponse(responseCode = "503", description = "Retriable: ZooKeeper unreachable (BROKER_NOT_AVAILABLE)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "BROKER_NOT_AVAILABLE", value = ProblemExamples.BROKER_NOT_AVAILABLE)))
    public Mono<ResponseEntity<TopicDescription>> create(@RequestBody @Valid CreateTopicRequest request) {
        int partitions = request.partitions() == null ? 1 : request.partitions();
        int replicationFactor = request.replicationFactor() == null ? 1 : request.replicationFactor();
        Map<String, String> configs = request.configs() == null ? Map.of() : request.configs();
        return blocking(() -> topics.create(request.name(), partitions, replicationFactor, configs))
                .map(d -> ResponseEntity.created(URI.create("/api/v1/topics/" + d.name())).body(d));
    }

    @GetMapping
    @Operation(summary = "List topics", description = "From the topic catalogue, by name, with paging and a name filter")
    @ApiResponse(responseCode = "200", description = "One page of topics, sorted by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(name = "page",
                    value = "{\"items\":[{\"name\":\"orders\",\"partitions\":6,\"replicationFactor\":1,"
                            + "\"internal\":false,\"configs\":{\"retention.ms\":\"604800000\"},"
                            + "\"createdAtMs\":1764028800000}],\"page\":0,\"size\":20,\"totalItems\":1,"
                            + "\"totalPages\":1}")))
    @ApiResponse(responseCode = "400", description = "page or size not a number or out of bounds (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_PAGE)))
    public Mono<CatalogPage<TopicSummary>> list(
            @Parameter(description = "Only names containing this (case-insensitive)", example = "ord")
            @RequestParam(required = false) String name,
            @Parameter(description = "Page number, from 0", example = "0") @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "Topics per page, 1 to 1000", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int size) {
        return blocking(() -> catalog.list(name, page, size));
    }

    @GetMapping("/{topic}")
    @Operation(summary = "Describe a topic", description = "Partitions with leader, replicas, ISR, log start and high watermark")
    @ApiResponse(responseCode = "200", description = "The topic", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = TopicDescription.class), examples = @ExampleObject(name = "orders", value = TOPIC)))
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND)))
    public Mono<TopicDescription> describe(@Parameter(description = TOPIC_NAME, example = "orders") @PathVariable String topic) {
        return blocking(() -> topics.describe(topic));
    }

    @PatchMapping("/{topic}")
    @Operation(summary = "Change a topic's configs or add partitions",
            description = "configs, when present, replace every override; partitions can only grow. Keys map to "
                    + "partitions by the partition count, so adding partitions moves keys.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = UpdateTopicRequest.class), examples = @ExampleObject(name = "grow",
            value = "{\"configs\":{\"retention.ms\":\"86400000\"},\"partitions\":12}")))
    @ApiResponse(responseCode = "200", description = "Changed; the body describes the topic now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TopicDescription.class),
                    examples = @ExampleObject(name = "orders", value = TOPIC)))
    @ApiResponse(responseCode = "400", description = "Bad config, or fewer partitions than now",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class), examples = {
                    @ExampleObject(name = "INVALID_PARTITIONS", value = ProblemExamples.INVALID_PARTITIONS),
                    @ExampleObject(name = "INVALID_CONFIG", value = ProblemExamples.INVALID_CONFIG)}))
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND)))
    public Mono<TopicDescription> update(@Parameter(description = TOPIC_NAME, example = "orders") @PathVariable String topic,
                                         @RequestBody UpdateTopicRequest request) {
        return blocking(() -> topics.update(topic, request.configs(), request.partitions()));
    }

    @DeleteMapping("/{topic}")
    @Operation(summary = "Delete a topic and its data",
            description = "The topic disappears at once; its files are removed in the background")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "403", description = "Internal topics cannot be deleted (TOPIC_AUTHORIZATION_FAILED)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_AUTHORIZATION_FAILED",
                            value = ProblemExamples.TOPIC_AUTHORIZATION_FAILED)))
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "TOPIC_NOT_FOUND", value = ProblemExamples.TOPIC_NOT_FOUND)))
    public Mono<ResponseEntity<Void>> delete(@Parameter(description = TOPIC_NAME, example = "orders") @PathVariable String topic) {
        return blocking(() -> {
            topics.delete(topic);
            return ResponseEntity.status(HttpStatus.NO_CONTENT).<Void>build();
        });
    }

    static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(LogIoScheduler.get());
    }
}
