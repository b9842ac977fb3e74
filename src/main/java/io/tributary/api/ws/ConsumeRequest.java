package io.tributary.api.ws;

import io.tributary.api.codec.RecordFormat;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.GroupCoordinator;
import io.tributary.group.OffsetResetPolicy;
import io.tributary.group.assignor.PartitionAssignor;
import io.tributary.service.ConsumeService;
import io.tributary.service.StartPosition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The query of {@code /ws/v1/consume}, checked before anything is streamed:
 * {@code topics=a,b} (or {@code topic=a}), optional {@code partition=} (one topic only),
 * {@code from=earliest|latest|<offset>|time:<epochMs>} (default latest), {@code keyFormat} and
 * {@code valueFormat} (json, string or base64; default string and json), {@code flow=push|credit}.
 *
 * <p>With {@code group=G} the socket is a member of consumer group G and its partitions follow the
 * group ({@code partition} and {@code from} are refused): {@code assignor=range|round-robin|sticky},
 * {@code autoOffsetReset=earliest|latest|time:<epochMs>} (default latest),
 * {@code autoCommit=true|false} (default false), {@code autoCommitIntervalMs} (default 5000), and
 * {@code resume=<token>} (or {@code token=}) to resume a dropped member.
 */
record ConsumeRequest(List<TopicPartition> partitions, StartPosition from, RecordFormat keyFormat,
                      RecordFormat valueFormat, boolean creditMode, GroupOptions group) {

    /** The consumer-group part of the query; null on a plain subscription. */
    record GroupOptions(String group, Set<String> topics, String assignor, OffsetResetPolicy autoOffsetReset,
                        boolean autoCommit, long autoCommitIntervalMs, String resumeToken) {

        static final long DEFAULT_AUTO_COMMIT_INTERVAL_MS = 5_000;

        static GroupOptions parse(QueryParams query, String group, Set<String> topics) {
            GroupCoordinator.validateGroupId(group);
            if (query.get("partition") != null || query.get("from") != null) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "A group member's partitions and start "
                        + "offsets come from its group: use autoOffsetReset, not 'partition' or 'from'");
            }
            String assignor = query.get("assignor");
            if (assignor != null) {
                PartitionAssignor.named(assignor);
            }
            Integer interval = query.integer("autoCommitIntervalMs");
            if (interval != null && interval < 1) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "'autoCommitIntervalMs' must be positive");
            }
            String resume = query.get("resume") != null ? query.get("resume") : query.get("token");
            return new GroupOptions(group, Set.copyOf(topics), assignor,
                    OffsetResetPolicy.parse(query.get("autoOffsetReset")), bool(query, "autoCommit"),
                    interval == null ? DEFAULT_AUTO_COMMIT_INTERVAL_MS : interval, resume);
        }

        private static boolean bool(QueryParams query, String name) {
            String value = query.get(name);
            if (value == null || value.equalsIgnoreCase("false")) {
                return false;
            }
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "'" + name + "' must be true or false, not '"
                    + value + "'");
        }
    }

    static ConsumeRequest parse(QueryParams query, ConsumeService consume) {
        RecordFormat keys = RecordFormat.parse(query.get("keyFormat"), RecordFormat.STRING);
        RecordFormat values = RecordFormat.parse(query.get("valueFormat"), RecordFormat.JSON);
        StartPosition from = StartPosition.parse(query.get("from"), StartPosition.LATEST);
        boolean credit = flow(query.get("flow"));
        String names = query.get("topics") != null ? query.get("topics") : query.get("topic");
        if (names == null) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "Name the topics to consume: ?topics=a,b");
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            topics.add(name.trim());
        }
        String group = query.get("group");
        if (group != null) {
            topics.forEach(consume::partitions);
            return new ConsumeRequest(List.of(), StartPosition.LATEST, keys, values, credit,
                    GroupOptions.parse(query, group, topics));
        }
        Integer partition = query.integer("partition");
        List<TopicPartition> partitions = new ArrayList<>();
        if (partition != null) {
            if (topics.size() != 1) {
                throw new TributaryException(ErrorCode.INVALID_REQUEST, "'partition' needs exactly one topic");
            }
            partitions.add(consume.partition(topics.iterator().next(), partition));
        } else {
            topics.forEach(topic -> partitions.addAll(consume.partitions(topic)));
        }
        return new ConsumeRequest(List.copyOf(partitions), from, keys, values, credit, null);
    }

    private static boolean flow(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "push" -> false;
            case "credit" -> true;
            default -> throw new TributaryException(ErrorCode.INVALID_REQUEST, "'flow' must be push or credit, not '"
                    + value + "'");
        };
    }
}
