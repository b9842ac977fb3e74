package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.service.ProduceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProduceRequestReaderTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final ProduceRequestReader reader = new ProduceRequestReader(mapper);

    private List<ProduceRecord> read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), RecordFormat.STRING, RecordFormat.JSON);
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Each JSON value, however it is spaced, is stored as exactly its own text. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"b\":[true,null,\"x\"]}", "[1, 2 ,3]", "\"text with \\\"quotes\\\" and \\\\\"",
            "12345", "-1.5e10", "true", "false", "{}", "[]", "\"caf\u00e9 \u2603\"", "{\"nested\":{\"deep\":[{\"k\":\"v\"}]}}"})
    void jsonValuesAreStoredAsTheirExactText(String json) {
        for (String spacing : List.of("", " ", "\n  ")) {
            List<ProduceRecord> records = read("{\"records\":[{\"value\":" + spacing + json + spacing + ",\"key\":\"k\"},"
                    + "{\"key\":\"k2\",\"value\":" + json + spacing + "}]}");
            assertThat(utf8(records.get(0).value())).isEqualTo(json);
            assertThat(utf8(records.get(1).value())).isEqualTo(json);
            assertThat(mapper.readTree(records.get(0).value())).isEqualTo(mapper.readTree(json));
        }
    }

    @Test
    void keysHeadersPartitionsAndTimestampsAreRead() {
        List<ProduceRecord> records = read("{\"ignored\":{\"x\":[1]},\"records\":[{\"key\":\"user-1\",\"value\":null,"
                + "\"headers\":{\"h1\":\"v1\",\"h2\":null},\"partition\":3,\"timestamp\":1700000000000,\"extra\":[1,{}]},"
                + "{\"value\":\"x\"}]}");

        ProduceRecord first = records.get(0);
        assertThat(utf8(first.key())).isEqualTo("user-1");
        assertThat(first.value()).isNull();
        assertThat(first.headers()).hasSize(2);
        assertThat(first.headers()[0].key()).isEqualTo("h1");
        assertThat(utf8(first.headers()[0].value())).isEqualTo("v1");
        assertThat(first.headers()[1].value()).isNull();
        assertThat(first.partition()).isEqualTo(3);
        assertThat(first.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(records.get(1).key()).isNull();
        assertThat(utf8(records.get(1).value())).isEqualTo("\"x\"");
    }

    @Test
    void stringAndBase64FormatsDecodeStrings() {
        List<ProduceRecord> records = reader.read("{\"records\":[{\"key\":\"AAEC\",\"value\":\"plain\"}]}"
                .getBytes(StandardCharsets.UTF_8), RecordFormat.BASE64, RecordFormat.STRING);
        assertThat(records.get(0).key()).containsExactly(0, 1, 2);
        assertThat(utf8(records.get(0).value())).isEqualTo("plain");
    }

    @Test
    void aNonStringKeyInStringFormatIsItsJsonText() {
        assertThat(utf8(read("{\"records\":[{\"key\":42,\"value\":1}]}").get(0).key())).isEqualTo("42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"records\":[{\"value\":1},", "{\"records\":{}}", "{\"records\":[1]}",
            "{\"records\":[]}", "{}", "{\"records\":[{\"partition\":\"one\"}]}", "{\"records\":[{\"timestamp\":1.5}]}",
            "{\"records\":[{\"headers\":[1]}]}", "{\"records\":[{\"value\":1}]} trailing",
            "{\"records\":[{\"partition\":99999999999}]}"})
    void malformedBodiesAreInvalidRequests(String body) {
        assertThatThrownBy(() -> read(body))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void badBase64IsAnInvalidRecord() {
        assertThatThrownBy(() -> reader.read("{\"records\":[{\"value\":\"@@@\"}]}".getBytes(StandardCharsets.UTF_8),
                RecordFormat.STRING, RecordFormat.BASE64))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD));
        assertThatThrownBy(() -> reader.read("{\"records\":[{\"value\":{}}]}".getBytes(StandardCharsets.UTF_8),
                RecordFormat.STRING, RecordFormat.BASE64))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD));
    }

    @Test
    void ndjsonLinesAreRecordsWithValuesAsTheirExactText() {
        String body = "{\"key\":\"a\",\"value\":{\"n\": 1}}\n\n{\"value\":42}\r\n{\"value\":\"x\",\"partition\":3}\n";
        List<ProduceRecord> records = reader.readLines(body.getBytes(StandardCharsets.UTF_8), RecordFormat.STRING,
                RecordFormat.JSON);
        assertThat(records).hasSize(3);
        assertThat(utf8(records.get(0).key())).isEqualTo("a");
        assertThat(utf8(records.get(0).value())).isEqualTo("{\"n\": 1}");
        assertThat(utf8(records.get(1).value())).isEqualTo("42");
        assertThat(utf8(records.get(2).value())).isEqualTo("\"x\"");
        assertThat(records.get(2).partition()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]\n", "{\"value\":1}\n42\n", "{\"value\":\n"})
    void ndjsonLinesThatAreNotRecordObjectsAreInvalidRequests(String body) {
        assertThatThrownBy(() -> reader.readLines(body.getBytes(StandardCharsets.UTF_8), RecordFormat.STRING, RecordFormat.JSON))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
