package io.tributary.api.ws;

import io.tributary.api.codec.RecordFormat;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
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
 */
record ConsumeRequest(List<TopicPartition> partitions, StartPosition from, RecordFormat keyFormat,
                      RecordFormat valueFormat, boolean creditMode) {

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
        return new ConsumeRequest(List.copyOf(partitions), from, keys, values, credit);
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
