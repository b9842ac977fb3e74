package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.api.codec.RecordCodec;
import io.tributary.api.codec.RecordFormat;
import io.tributary.api.rest.GroupDtos.CommitRequest;
import io.tributary.api.rest.GroupDtos.CommitResponse;
import io.tributary.api.rest.GroupDtos.GroupRecord;
import io.tributary.api.rest.GroupDtos.JoinGroupRequest;
import io.tributary.api.rest.GroupDtos.MemberRecordsResponse;
import io.tributary.api.rest.GroupDtos.MemberResponse;
import io.tributary.api.rest.GroupDtos.PartitionPosition;
import io.tributary.api.rest.GroupDtos.ResetRequest;
import io.tributary.api.rest.GroupDtos.ResetResponse;
import io.tributary.common.TopicPartition;
import io.tributary.group.GroupAdmin;
import io.tributary.group.GroupCoordinator;
import io.tributary.group.GroupDescription;
import io.tributary.group.GroupSummary;
import io.tributary.group.JoinRequest;
import io.tributary.group.JoinResult;
import io.tributary.group.MemberFetcher;
import io.tributary.group.MemberListener;
import io.tributary.group.OffsetResetPolicy;
import io.tributary.group.PartitionCommit;
import io.tributary.metadata.AuditedCommit;
import io.tributary.metadata.CatalogPage;
import io.tributary.metadata.OffsetCommitTrail;
import io.tributary.replication.LogIoScheduler;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Consumer groups: REST members (join, fetch, commit, leave), views with lag, offset resets and the
 * audit trail. Requests for a group coordinated by another broker never reach these methods there:
 * {@link GroupForwarding} sends them to the coordinator. The audit trail is the coordinator's:
 * each broker keeps the commits it coordinated, so after the group's coordination moved the
 * history shows the commits since.
 */
@RestController
@Validated
@RequestMapping("/api/v1/groups")
@Tag(name = "Consumer groups", description = "REST members, group views with lag, offset resets, commit history")
public class GroupController {

    /** The header carrying a REST member's token. */
    public static final String TOKEN_HEADER = "X-Member-Token";

    private static final String PROBLEM = TopicController.PROBLEM;
    private static final String GROUP = "The group id: 1 to 249 of [a-zA-Z0-9._-]";
    private static final String MEMBER = "The member id the join returned";
    private static final String TOKEN = "The token the join returned";

    private final GroupCoordinator coordinator;
    private final GroupAdmin admin;
    private final MemberFetcher fetcher;
    private final OffsetCommitTrail trail;
    private final RecordCodec codec;
    private final GroupForwarding forwarding;

    public GroupController(GroupCoordinator coordinator, GroupAdmin admin, MemberFetcher fetcher,
                           OffsetCommitTrail trail, RecordCodec codec, GroupForwarding forwarding) {
        this.coordinator = coordinator;
        this.admin = admin;
        this.fetcher = fetcher;
        this.trail = trail;
        this.codec = codec;
        this.forwarding = forwarding;
    }

    @PostMapping("/{group}/members")
    @Operation(summary = "Join a group as a REST member",
            description = "Returns the member id and the token to send in X-Member-Token with every later request. "
                    + "The group rebalances; partitions is the member's assignment (empty: idle, or waiting for "
                    + "other members to release partitions). A member silent for its session timeout is removed.")
    @ApiResponse(responseCode = "201", description = "Joined", content = @Content(examples = @ExampleObject(value =
            "{\"memberId\":\"3f2a9c0d1e4b5a69\",\"token\":\"9b1e...\",\"generation\":4,\"idle\":false,"
                    + "\"partitions\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":120}]}")))
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = JoinGroupRequest.class), examples = @ExampleObject(name = "join",
            value = "{\"topics\":[\"orders\"],\"assignor\":\"sticky\",\"autoOffsetReset\":\"earliest\","
                    + "\"sessionTimeoutMs\":30000}")))
    @ApiResponse(responseCode = "400", description = "No topics, a bad assignor or autoOffsetReset (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_GROUP_REQUEST)))
    public Mono<ResponseEntity<MemberResponse>> join(@Parameter(description = GROUP, example = "billing")
                                                     @PathVariable String group,
                                                     @RequestBody @Valid JoinGroupRequest request,
                                                     ServerHttpRequest http) {
        OffsetResetPolicy reset = OffsetResetPolicy.parse(request.autoOffsetReset());
        JoinRequest join = new JoinRequest(Set.copyOf(request.topics()), request.assignor(), reset, false,
                request.sessionTimeoutMs() == null ? 0 : request.sessionTimeoutMs(), null, address(http),
                MemberListener.IMMEDIATE);
        return TopicController.blocking(() -> coordinator.join(group, join))
                .map((JoinResult r) -> ResponseEntity.created(URI.create("/api/v1/groups/" + group + "/members/"
                        + r.memberId())).body(MemberResponse.of(r.memberId(), r.token(), r.assignment())));
    }

    @GetMapping("/{group}/members/{member}/records")
    @Operation(summary = "Fetch records of the member's partitions",
            description = "Continues from the member's positions, kept by the coordinator; long-polls up to maxWaitMs "
                    + "when there is nothing yet. Also counts as the member's heartbeat.")
    @ApiResponse(responseCode = "200", description = "The member's generation, positions after the fetch, and records",
            content = @Content(examples = @ExampleObject(value = "{\"memberId\":\"3f2a9c0d1e4b5a69\",\"generation\":4,"
                    + "\"partitions\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":121}],\"records\":[{\"topic\":"
                    + "\"orders\",\"partition\":0,\"offset\":120,\"timestamp\":1764028800000,\"key\":\"o-17\","
                    + "\"value\":{\"total\":42},\"headers\":{}}]}")))
    @ApiResponse(responseCode = "404", description = "Unknown member or wrong token (UNKNOWN_MEMBER_ID): join again",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "UNKNOWN_MEMBER_ID", value = ProblemExamples.UNKNOWN_MEMBER_ID)))
    public Mono<MemberRecordsResponse> fetch(
            @Parameter(description = GROUP, example = "billing") @PathVariable String group,
            @Parameter(description = MEMBER, example = "3f2a9c0d1e4b5a69") @PathVariable String member,
            @Parameter(description = TOKEN, example = "9b1e4c2a77d0f3e85a6b1c9d0e2f4a7b", required = true)
            @RequestHeader(TOKEN_HEADER) String token,
            @Parameter(description = "At most this many records", example = "500")
            @RequestParam(defaultValue = "500") int maxRecords,
            @Parameter(description = "At most about this many bytes (at least one record)", example = "1048576")
            @RequestParam(defaultValue = "1048576") int maxBytes,
            @Parameter(description = "How long to wait when there is nothing yet (at most 60000)", example = "5000")
            @RequestParam(defaultValue = "0") long maxWaitMs,
            @Parameter(description = "How keys are shown: string (default), json or base64", example = "string")
            @RequestParam(required = false) String keyFormat,
            @Parameter(description = "How values are shown: json (default), string or base64", example = "json")
            @RequestParam(required = false) String valueFormat) {
        RecordFormat keys = RecordFormat.parse(keyFormat, RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(valueFormat, RecordFormat.JSON);
        return Mono.defer(() -> Mono.fromFuture(fetcher.fetch(group, member, token, maxRecords, maxBytes,
                        Math.min(maxWaitMs, 60_000))))
                .subscribeOn(LogIoScheduler.get())
                .publishOn(Schedulers.parallel())
                .map(result -> new MemberRecordsResponse(result.memberId(), result.generation(),
                        PartitionPosition.of(result.positions()),
                        result.records().stream().flatMap(pr -> pr.records().stream().map(r -> GroupRecord.of(
                                pr.partition().topic(), codec.encode(pr.partition().partition(), r, keys, values))))
                                .toList()));
    }

    @PostMapping("/{group}/members/{member}/offsets")
    @Operation(summary = "Commit offsets (the next offset to read) for the member's partitions",
            description = "Refused with ILLEGAL_GENERATION when a partition is not the member's in that generation.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = CommitRequest.class), examples = @ExampleObject(name = "commit",
            value = "{\"generation\":4,\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":121}]}")))
    @ApiResponse(responseCode = "200", description = "Committed (durable)", content = @Content(examples = @ExampleObject(
            value = "{\"generation\":4,\"committed\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":121}]}")))
    @ApiResponse(responseCode = "404", description = "Unknown member or wrong token (UNKNOWN_MEMBER_ID)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "UNKNOWN_MEMBER_ID", value = ProblemExamples.UNKNOWN_MEMBER_ID)))
    @ApiResponse(responseCode = "409", description = "Stale generation or a partition the member does not own",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "ILLEGAL_GENERATION", value = ProblemExamples.ILLEGAL_GENERATION)))
    public Mono<CommitResponse> commit(@Parameter(description = GROUP, example = "billing") @PathVariable String group,
                                       @Parameter(description = MEMBER, example = "3f2a9c0d1e4b5a69")
                                       @PathVariable String member,
                                       @Parameter(description = TOKEN, example = "9b1e4c2a77d0f3e85a6b1c9d0e2f4a7b")
                                       @RequestHeader(TOKEN_HEADER) String token,
                                       @RequestBody @Valid CommitRequest request, ServerHttpRequest http) {
        List<PartitionCommit> commits = request.offsets().stream().map(o -> new PartitionCommit(
                new TopicPartition(o.topic(), o.partition()), o.offset(), o.metadata())).toList();
        return TopicController.blocking(() -> {
            int generation = request.generation() != null ? request.generation()
                    : coordinator.heartbeat(group, member, token).generation();
            return coordinator.commit(group, member, token, generation, commits, address(http))
                    .thenApply(ok -> new CommitResponse(generation, request.offsets().stream()
                            .map(o -> new PartitionPosition(o.topic(), o.partition(), o.offset())).toList()));
        }).flatMap(Mono::fromFuture);
    }

    @DeleteMapping("/{group}/members/{member}")
    @Operation(summary = "Leave the group", description = "The member's partitions go to the other members at once")
    @ApiResponse(responseCode = "204", description = "Left")
    @ApiResponse(responseCode = "404", description = "Unknown member or wrong token (UNKNOWN_MEMBER_ID)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "UNKNOWN_MEMBER_ID", value = ProblemExamples.UNKNOWN_MEMBER_ID)))
    public Mono<ResponseEntity<Void>> leave(@Parameter(description = GROUP, example = "billing") @PathVariable String group,
                                            @Parameter(description = MEMBER, example = "3f2a9c0d1e4b5a69")
                                            @PathVariable String member,
                                            @Parameter(description = TOKEN, example = "9b1e4c2a77d0f3e85a6b1c9d0e2f4a7b")
                                            @RequestHeader(TOKEN_HEADER) String token) {
        return TopicController.blocking(() -> {
            coordinator.leave(group, member, token);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping
    @Operation(summary = "List the groups of the cluster",
            description = "Each broker coordinates a share of the groups; the one asked gathers the others' lists. "
                    + "BROKER_NOT_AVAILABLE (retriable) when a live broker does not answer.")
    @ApiResponse(responseCode = "200", description = "The groups", content = @Content(examples = @ExampleObject(
            value = "[{\"group\":\"billing\",\"state\":\"STABLE\",\"generation\":4,\"assignor\":\"range\",\"members\":2}]")))
    @ApiResponse(responseCode = "406", description = "The Accept header allows no JSON (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.NOT_ACCEPTABLE)))
    @ApiResponse(responseCode = "503", description = "Retriable: a live broker did not answer (BROKER_NOT_AVAILABLE)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "BROKER_NOT_AVAILABLE",
                            value = ProblemExamples.GROUPS_BROKER_NOT_AVAILABLE)))
    public Mono<List<GroupSummary>> list(ServerHttpRequest http) {
        Mono<List<GroupSummary>> local = TopicController.blocking(admin::list);
        return GroupForwarding.isForwarded(http.getHeaders()) ? local : local.flatMap(forwarding::withOtherBrokers);
    }

    @GetMapping("/{group}")
    @Operation(summary = "Describe a group",
            description = "State, generation, assignor, members with their partitions, and per partition the committed "
                    + "offset, the log end offset (high watermark) and the lag")
    @ApiResponse(responseCode = "200", description = "The group", content = @Content(examples = @ExampleObject(value =
            "{\"group\":\"billing\",\"state\":\"STABLE\",\"generation\":4,\"assignor\":\"range\",\"members\":"
                    + "[{\"memberId\":\"3f2a9c0d1e4b5a69\",\"clientAddress\":\"127.0.0.1\",\"sessionBound\":true,"
                    + "\"topics\":[\"orders\"],\"generation\":4,\"idle\":false,\"partitions\":[{\"topic\":\"orders\","
                    + "\"partition\":0,\"position\":121}]}],\"offsets\":[{\"topic\":\"orders\",\"partition\":0,"
                    + "\"committedOffset\":120,\"logEndOffset\":130,\"lag\":10,\"metadata\":null,"
                    + "\"commitTimestampMs\":1764028800000,\"memberId\":\"3f2a9c0d1e4b5a69\"}]}")))
    @ApiResponse(responseCode = "404", description = "No such group (GROUP_NOT_FOUND)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "GROUP_NOT_FOUND", value = ProblemExamples.GROUP_NOT_FOUND)))
    public Mono<GroupDescription> describe(@Parameter(description = GROUP, example = "billing") @PathVariable String group) {
        return TopicController.blocking(() -> admin.describe(group));
    }

    @PostMapping("/{group}/offsets")
    @Operation(summary = "Reset a group's offsets for a topic",
            description = "To earliest, latest, a timestamp or explicit offsets; only while the group has no members")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = ResetRequest.class), examples = {
            @ExampleObject(name = "earliest", value = "{\"topic\":\"orders\",\"to\":\"earliest\"}"),
            @ExampleObject(name = "timestamp", value = "{\"topic\":\"orders\",\"to\":\"timestamp\",\"timestampMs\":1764028800000}"),
            @ExampleObject(name = "offsets", value = "{\"topic\":\"orders\",\"to\":\"offsets\",\"offsets\":{\"0\":42}}")}))
    @ApiResponse(responseCode = "200", description = "The offsets written", content = @Content(examples = @ExampleObject(
            value = "{\"group\":\"billing\",\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":0}]}")))
    @ApiResponse(responseCode = "409", description = "The group has members (GROUP_NOT_EMPTY)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "GROUP_NOT_EMPTY", value = ProblemExamples.GROUP_NOT_EMPTY)))
    public Mono<ResetResponse> reset(@Parameter(description = GROUP, example = "billing") @PathVariable String group,
                                     @RequestBody @Valid ResetRequest request) {
        GroupAdmin.ResetTarget target = GroupAdmin.ResetTarget.parse(request.to());
        return TopicController.blocking(() -> admin.resetOffsets(group, request.topic(), target, request.timestampMs(),
                        request.offsets()))
                .flatMap(Mono::fromFuture)
                .map(offsets -> new ResetResponse(group, PartitionPosition.of(offsets)));
    }

    @DeleteMapping("/{group}")
    @Operation(summary = "Delete a group and its committed offsets", description = "Only while it has no members")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "The group has members (GROUP_NOT_EMPTY)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "GROUP_NOT_EMPTY", value = ProblemExamples.GROUP_NOT_EMPTY)))
    public Mono<ResponseEntity<Void>> delete(@Parameter(description = GROUP, example = "billing") @PathVariable String group) {
        return TopicController.blocking(() -> admin.delete(group))
                .flatMap(Mono::fromFuture)
                .then(Mono.just(ResponseEntity.status(HttpStatus.NO_CONTENT).<Void>build()));
    }

    @GetMapping("/{group}/offsets/history")
    @Operation(summary = "The group's offset-commit audit trail",
            description = "Every commit (member, client address, partition, offset, generation, time), oldest first")
    @ApiResponse(responseCode = "200", description = "One page of commits", content = @Content(examples = @ExampleObject(
            value = "{\"items\":[{\"id\":1,\"group\":\"billing\",\"memberId\":\"3f2a9c0d1e4b5a69\",\"clientAddress\":"
                    + "\"127.0.0.1\",\"topic\":\"orders\",\"partition\":0,\"offset\":121,\"generation\":4,"
                    + "\"committedAt\":\"2026-01-01T00:00:00Z\"}],\"page\":0,\"size\":50,\"totalItems\":1,\"totalPages\":1}")))
    @ApiResponse(responseCode = "400", description = "A bad page, size or instant (INVALID_REQUEST)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.BAD_PAGE)))
    public Mono<CatalogPage<AuditedCommit>> history(
            @Parameter(description = GROUP, example = "billing") @PathVariable String group,
            @Parameter(description = "Only this topic", example = "orders") @RequestParam(required = false) String topic,
            @Parameter(description = "Only this partition (with topic)", example = "0")
            @RequestParam(required = false) Integer partition,
            @Parameter(description = "ISO-8601 instant, inclusive", example = "2026-01-01T00:00:00Z")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @Parameter(description = "ISO-8601 instant, exclusive", example = "2027-01-01T00:00:00Z")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @Parameter(description = "Page number, from 0", example = "0") @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "Commits per page, 1 to 1000", example = "50")
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int size) {
        GroupCoordinator.validateGroupId(group);
        return TopicController.blocking(() -> trail.history(group, topic, partition, from, to, page, size));
    }

    private static String address(ServerHttpRequest http) {
        InetSocketAddress remote = http.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

}
