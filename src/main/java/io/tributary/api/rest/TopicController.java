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
import io.tributary.service.TopicDescription;
import io.tributary.service.TopicService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
import reactor.core.scheduler.Schedulers;

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

    private final TopicService topics;
    private final TopicCatalog catalog;

    public TopicController(TopicService topics, TopicCatalog catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @PostMapping
    @Operation(summary = "Create a topic")
    @ApiResponse(responseCode = "201", description = "Created; the body describes the topic")
    @ApiResponse(responseCode = "400", description = "Bad name, partition count, replication factor or config",
            content = @Content(schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value =
                    "{\"type\":\"urn:tributary:error:invalid-topic-name\",\"title\":\"Invalid topic name\",\"status\":400,"
                            + "\"detail\":\"Topic name may contain only ASCII letters, digits, '.', '_' and '-'\","
                            + "\"code\":\"INVALID_TOPIC_NAME\",\"retriable\":false}")))
    @ApiResponse(responseCode = "409", description = "A topic with that name exists (TOPIC_ALREADY_EXISTS)",
            content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
    public Mono<ResponseEntity<TopicDescription>> create(@RequestBody @Valid CreateTopicRequest request) {
        int partitions = request.partitions() == null ? 1 : request.partitions();
        int replicationFactor = request.replicationFactor() == null ? 1 : request.replicationFactor();
        Map<String, String> configs = request.configs() == null ? Map.of() : request.configs();
        return blocking(() -> topics.create(request.name(), partitions, replicationFactor, configs))
                .map(d -> ResponseEntity.created(URI.create("/api/v1/topics/" + d.name())).body(d));
    }

    @GetMapping
    @Operation(summary = "List topics", description = "From the topic catalogue, by name, with paging and a name filter")
    public Mono<CatalogPage<TopicSummary>> list(
            @Parameter(description = "Only names containing this (case-insensitive)", example = "ord")
            @RequestParam(required = false) String name,
            @Parameter(example = "0") @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(example = "20") @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int size) {
        return blocking(() -> catalog.list(name, page, size));
    }

    @GetMapping("/{topic}")
    @Operation(summary = "Describe a topic", description = "Partitions with leader, replicas, ISR, log start and high watermark")
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
    public Mono<TopicDescription> describe(@PathVariable String topic) {
        return blocking(() -> topics.describe(topic));
    }

    @PatchMapping("/{topic}")
    @Operation(summary = "Change a topic's configs or add partitions")
    @ApiResponse(responseCode = "400", description = "Bad config, or fewer partitions than now",
            content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
    public Mono<TopicDescription> update(@PathVariable String topic, @RequestBody UpdateTopicRequest request) {
        return blocking(() -> topics.update(topic, request.configs(), request.partitions()));
    }

    @DeleteMapping("/{topic}")
    @Operation(summary = "Delete a topic and its data")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such topic (TOPIC_NOT_FOUND)",
            content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
    public Mono<ResponseEntity<Void>> delete(@PathVariable String topic) {
        return blocking(() -> {
            topics.delete(topic);
            return ResponseEntity.status(HttpStatus.NO_CONTENT).<Void>build();
        });
    }

    static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
