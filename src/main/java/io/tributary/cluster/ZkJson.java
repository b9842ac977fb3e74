package io.tributary.cluster;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * The JSON stored in znodes. Each shape is a record with a version field, so a later release can
 * read what an earlier one wrote. Unknown fields are ignored on read.
 */
final class ZkJson {

    record BrokerJson(int version, int id, String host, int port, int replicationPort) {
    }

    record TopicJson(int version, int replicationFactor, Map<String, String> configs,
                     Map<Integer, List<Integer>> assignment, long createdAtMs) {
    }

    record PartitionJson(int version, int leader, int leaderEpoch, List<Integer> isr) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ZkJson() {
    }

    static byte[] broker(BrokerInfo b) {
        return write(new BrokerJson(1, b.id(), b.host(), b.port(), b.replicationPort()));
    }

    static BrokerInfo broker(byte[] data) {
        BrokerJson j = read(data, BrokerJson.class);
        return new BrokerInfo(j.id(), j.host(), j.port(), j.replicationPort());
    }

    static byte[] topic(TopicDefinition t) {
        return write(new TopicJson(1, t.replicationFactor(), t.configs(), t.assignment(), t.createdAtMs()));
    }

    static TopicDefinition topic(String name, byte[] data) {
        TopicJson j = read(data, TopicJson.class);
        return new TopicDefinition(name, j.replicationFactor(), j.configs() == null ? Map.of() : j.configs(),
                j.assignment(), j.createdAtMs());
    }

    static byte[] partition(PartitionState s) {
        return write(new PartitionJson(1, s.leader(), s.leaderEpoch(), s.isr()));
    }

    static PartitionState partition(byte[] data, int znodeVersion) {
        PartitionJson j = read(data, PartitionJson.class);
        return new PartitionState(j.leader(), j.leaderEpoch(), j.isr(), znodeVersion);
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }

    private static <T> T read(byte[] data, Class<T> type) {
        try {
            return MAPPER.readValue(data, type);
        } catch (JacksonException e) {
            throw new IllegalStateException("Malformed " + type.getSimpleName() + " znode: " + e.getMessage(), e);
        }
    }
}
