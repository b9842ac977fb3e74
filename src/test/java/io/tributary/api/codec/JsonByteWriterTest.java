package io.tributary.api.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonByteWriterTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "0", "-1.5e+3", "\"x\"", "true", "false", "null", " {\"a\":[1,2,{\"b\":null}]} ",
            "\"caf\u00e9 \\u00e9 \\n\"", "[\n 1,\n 2\n]", "1E5", "0.25"})
    void validJsonIsCopiedAsItIs(String json) {
        assertThat(JsonValidator.isValid(bytes(json), 0, bytes(json).length)).isTrue();
        JsonByteWriter out = new JsonByteWriter(16);
        out.jsonValue(ByteBuffer.wrap(bytes(json)));
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", "-", "tru", "nul", "\"\\x\"",
            "\"a", "1 2", "{} x", "\"tab\there\"", "[1}", "'a'", "NaN", "{a:1}", "\"\\u12G4\""})
    void invalidJsonIsWrittenAsAString(String text) throws Exception {
        assertThat(JsonValidator.isValid(bytes(text), 0, bytes(text).length)).isFalse();
        JsonByteWriter out = new JsonByteWriter(16);
        out.jsonValue(ByteBuffer.wrap(bytes(text)));
        JsonNode node = mapper.readTree(out.toByteArray());
        assertThat(node.isString()).isTrue();
        assertThat(node.asString()).isEqualTo(text);
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersAndTheOutputStaysValid() throws Exception {
        byte[] bad = {'a', (byte) 0xC3, '"', (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'z'};
        for (RecordFormat format : RecordFormat.values()) {
            JsonByteWriter out = new JsonByteWriter(8);
            out.raw((byte) '[').formatted(ByteBuffer.wrap(bad), format).raw((byte) ']');
            JsonNode node = mapper.readTree(out.toByteArray());
            assertThat(node.get(0).isString()).as(format.name()).isTrue();
            if (format == RecordFormat.BASE64) {
                assertThat(Base64.getDecoder().decode(node.get(0).asString())).isEqualTo(bad);
            } else {
                assertThat(node.get(0).asString()).isEqualTo("a\ufffd\"\ufffd\ufffd\ufffd\ufffdz");
            }
        }
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(JsonValidator.isValid(bytes(deep), 0, bytes(deep).length)).isFalse();
        String fine = "[".repeat(JsonValidator.MAX_DEPTH) + "]".repeat(JsonValidator.MAX_DEPTH);
        assertThat(JsonValidator.isValid(bytes(fine), 0, bytes(fine).length)).isTrue();
    }

    @Test
    void randomBytesAlwaysGiveValidJsonThatReadsBackAsTheSameText() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] value = new byte[random.nextInt(40)];
            random.nextBytes(value);
            if (i % 3 == 0) {
                for (int j = 0; j < value.length; j++) {
                    value[j] = (byte) (value[j] & 0x7F);
                }
            }
            JsonByteWriter out = new JsonByteWriter(8);
            out.raw((byte) '[').utf8String(ByteBuffer.wrap(value)).raw((byte) ',').base64(ByteBuffer.wrap(value))
                    .raw((byte) ',').number(random.nextLong()).raw((byte) ']');
            JsonNode node = mapper.readTree(out.toByteArray());
            // Invalid sequences become U+FFFD (the count per sequence may differ from Java's decoder).
            assertThat(withoutReplacements(node.get(0).asString()))
                    .isEqualTo(withoutReplacements(new String(value, StandardCharsets.UTF_8)));
            assertThat(Base64.getDecoder().decode(node.get(1).asString())).isEqualTo(value);
        }
    }

    @Test
    void numbersAndStringsMatchJava() throws Exception {
        for (long n : new long[] {0, 7, -7, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, 1764028800000L}) {
            JsonByteWriter out = new JsonByteWriter(1);
            out.number(n);
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(n));
        }
        JsonByteWriter out = new JsonByteWriter(1);
        String text = "quote \" backslash \\ control \u0001 emoji \ud83d\ude00";
        out.string(text);
        assertThat(mapper.readTree(out.toByteArray()).asString()).isEqualTo(text);
    }

    private static String withoutReplacements(String s) {
        return s.replace("\ufffd", "");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
