package io.tributary.api.codec;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.Header;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecordJsonWriterTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final TopicPartition tp = new TopicPartition("orders", 3);

    private List<JsonNode> write(RecordJsonWriter writer, MemoryRecords... batches) {
        JsonByteWriter out = new JsonByteWriter(16);
        out.raw((byte) '[');
        boolean first = true;
        for (MemoryRecords batch : batches) {
            for (Record record : batch.records()) {
                if (!first) {
                    out.raw((byte) ',');
                }
                first = false;
                writer.write(out, tp, record);
            }
        }
        out.raw((byte) ']');
        List<JsonNode> nodes = new ArrayList<>();
        mapper.readTree(out.toByteArray()).forEach(nodes::add);
        return nodes;
    }

    @Test
    void offsetsAndTimestampsAreRightAcrossCarriesAndJumps() {
        RecordJsonWriter writer = new RecordJsonWriter(RecordFormat.STRING, RecordFormat.JSON);
        SimpleRecord[] run = new SimpleRecord[5];
        for (int i = 0; i < run.length; i++) {
            run[i] = new SimpleRecord(1_764_028_800_000L + (i / 2), null, "1".getBytes(), Header.EMPTY);
        }
        List<JsonNode> nodes = write(writer, MemoryRecords.withRecords(98, run), MemoryRecords.withRecords(999_998, run),
                MemoryRecords.withRecords(7, run));
        List<Long> offsets = nodes.stream().map(n -> n.get("offset").asLong()).toList();
        assertThat(offsets).containsExactly(98L, 99L, 100L, 101L, 102L, 999_998L, 999_999L, 1_000_000L, 1_000_001L,
                1_000_002L, 7L, 8L, 9L, 10L, 11L);
        assertThat(nodes.get(4).get("timestamp").asLong()).isEqualTo(1_764_028_800_002L);
        assertThat(nodes.get(5).get("timestamp").asLong()).isEqualTo(1_764_028_800_000L);
        assertThat(nodes.get(0).get("topic").asString()).isEqualTo("orders");
        assertThat(nodes.get(0).get("partition").asInt()).isEqualTo(3);
    }

    @Test
    void keysValuesAndHeadersFollowTheirFormats() {
        SimpleRecord record = new SimpleRecord(5, "k\u00e9y".getBytes(StandardCharsets.UTF_8), "{\"a\":[1]}".getBytes(),
                new Header[] {Header.of("h", "1"), Header.of("n", null), Header.of("h", "2")});
        SimpleRecord notJson = new SimpleRecord(6, null, "plain text".getBytes(), Header.EMPTY);
        List<JsonNode> json = write(new RecordJsonWriter(RecordFormat.STRING, RecordFormat.JSON),
                MemoryRecords.withRecords(0, record, notJson));
        assertThat(json.get(0).get("key").asString()).isEqualTo("k\u00e9y");
        assertThat(json.get(0).get("value").get("a").get(0).asInt()).isEqualTo(1);
        assertThat(json.get(0).get("headers").get("h").asString()).isEqualTo("2");
        assertThat(json.get(0).get("headers").get("n").isNull()).isTrue();
        assertThat(json.get(0).get("headers").size()).isEqualTo(2);
        assertThat(json.get(1).get("key").isNull()).isTrue();
        assertThat(json.get(1).get("value").asString()).isEqualTo("plain text");
        assertThat(json.get(1).get("headers").isEmpty()).isTrue();

        List<JsonNode> base64 = write(new RecordJsonWriter(RecordFormat.BASE64, RecordFormat.BASE64),
                MemoryRecords.withRecords(0, record));
        assertThat(base64.get(0).get("value").asString()).isEqualTo("eyJhIjpbMV19");
        List<JsonNode> strings = write(new RecordJsonWriter(RecordFormat.JSON, RecordFormat.STRING),
                MemoryRecords.withRecords(0, record));
        assertThat(strings.get(0).get("value").asString()).isEqualTo("{\"a\":[1]}");
        assertThat(strings.get(0).get("key").asString()).isEqualTo("k\u00e9y");
    }

    @Test
    void theValidatorAgreesWithJacksonOnStringsAroundWordBoundaries() {
        Random random = new Random(7);
        char[] alphabet = {'a', ' ', '"', '\\', '\n', '\u0001', '\u00e9', '\u20ac', 'z', '/'};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (char) ('a' + j % 26));
            }
            byte[] json = mapper.writeValueAsBytes(text.toString());
            assertThat(JsonValidator.isValid(json, 0, json.length)).as(new String(json, StandardCharsets.UTF_8)).isTrue();
            byte[] raw = ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
            boolean jacksonAccepts;
            try {
                mapper.readTree(raw);
                jacksonAccepts = true;
            } catch (RuntimeException e) {
                jacksonAccepts = false;
            }
            assertThat(JsonValidator.isValid(raw, 0, raw.length)).as(text.toString()).isEqualTo(jacksonAccepts);
        }
    }
}
