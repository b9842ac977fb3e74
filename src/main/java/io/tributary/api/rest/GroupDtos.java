package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.api.codec.RecordOutput;
import io.tributary.common.TopicPartition;
import io.tributary.group.MemberAssignment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Request and response bodies of {@link GroupController}. */
public final class GroupDtos {

    private GroupDtos() {
    }

    /** What {@code POST /api/v1/groups/{group}/members} takes. */
    public record JoinGroupRequest(
            @Schema(example = "[\"orders\"]", requiredMode = Schema.RequiredMode.REQUIRED) @NotEmpty List<String> topics,
            @Schema(description = "range, round-robin or sticky; the group's first member chooses", example = "sticky")
            String assignor,
            @Schema(description = "earliest, latest or time:<epochMs>: where to start without a committed offset",
                    example = "earliest", defaultValue = "latest") String autoOffsetReset,
            @Schema(description = "Removed after this long without a request; default: the broker's session timeout",
                    example = "30000") Long sessionTimeoutMs) {
    }

    /** A partition and the offset to read next. */
    public record PartitionPosition(String topic, int partition, long offset) {
        static List<PartitionPosition> of(Map<TopicPartition, Long> positions) {
            return positions.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                            .thenComparingInt(TopicPartition::partition)))
                    .map(e -> new PartitionPosition(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                    .toList();
        }
    }

    /** A joined member: its id and the token every later request of it carries in {@code X-Member-Token}. */
    public record MemberResponse(String memberId, String token, int generation, boolean idle,
                                 List<PartitionPosition> partitions) {
        static MemberResponse of(String memberId, String token, MemberAssignment assignment) {
            return new MemberResponse(memberId, token, assignment.generation(), assignment.idle(),
                    PartitionPosition.of(assignment.partitions()));
        }
    }

    /** A record as a member reads it: a topic's record with its partition and offset. */
    public record GroupRecord(String topic, int partition, long offset, long timestamp, JsonNode key, JsonNode value,
                              Map<String, String> headers) {
        static GroupRecord of(String topic, RecordOutput r) {
            return new GroupRecord(topic, r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
        }
    }

    /**
     * What a member's fetch returns: its generation (commits carry it), its partitions with the
     * positions after this fetch, and the records.
     */
    public record MemberRecordsResponse(String memberId, int generation, List<PartitionPosition> partitions,
                                        List<GroupRecord> records) {
    }

    /** One offset to commit: the next offset to read. */
    public record OffsetToCommit(@NotNull String topic, @NotNull Integer partition, @NotNull Long offset, String metadata) {
    }

    /** What {@code POST .../members/{member}/offsets} takes. */
    public record CommitRequest(
            @Schema(description = "The generation of the fetch the offsets come from; default: the member's current one",
                    example = "3") Integer generation,
            @NotEmpty List<@Valid OffsetToCommit> offsets) {
    }

    /** The offsets written. */
    public record CommitResponse(int generation, List<PartitionPosition> committed) {
    }

    /** What {@code POST /api/v1/groups/{group}/offsets} takes. */
    public record ResetRequest(
            @Schema(example = "orders", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull String topic,
            @Schema(description = "earliest, latest, timestamp or offsets", example = "earliest",
                    requiredMode = Schema.RequiredMode.REQUIRED) @NotNull String to,
            @Schema(description = "With to=timestamp: epoch milliseconds", example = "1764028800000") Long timestampMs,
            @Schema(description = "With to=offsets: partition -> offset", example = "{\"0\":42,\"1\":17}")
            Map<Integer, Long> offsets) {
    }

    /** The offsets a reset wrote. */
    public record ResetResponse(String group, List<PartitionPosition> offsets) {
    }
}
