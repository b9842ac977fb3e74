package io.tributary.log.record;

import static io.tributary.log.record.RawBatches.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteUtilsTest {

    /** Expected bytes are Kafka's, from its ByteUtils and the protocol documentation. */
    @ParameterizedTest(name = "varint {0} = {1}")
    @CsvSource({
        "0, 00",
        "1, 02",
        "-1, 01",
        "63, 7e",
        "-64, 7f",
        "64, 8001",
        "300, d804",
        "-300, d704",
        "2147483647, feffffff0f",
        "-2147483648, ffffffff0f",
    })
    void varintMatchesKafkaEncoding(int value, String expectedHex) {
        ByteBuffer buffer = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, buffer);
        buffer.flip();

        assertThat(hex(buffer)).isEqualTo(expectedHex);
        assertThat(ByteUtils.sizeOfVarint(value)).isEqualTo(expectedHex.length() / 2);
        assertThat(ByteUtils.readVarint(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @ParameterizedTest(name = "varlong {0} = {1}")
    @CsvSource({
        "0, 00",
        "1, 02",
        "-1, 01",
        "300, d804",
        "2147483647, feffffff0f",
        "-2147483648, ffffffff0f",
        "4294967296, 8080808020",
        "9223372036854775807, feffffffffffffffff01",
        "-9223372036854775808, ffffffffffffffffff01",
    })
    void varlongMatchesKafkaEncoding(long value, String expectedHex) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, buffer);
        buffer.flip();

        assertThat(hex(buffer)).isEqualTo(expectedHex);
        assertThat(ByteUtils.sizeOfVarlong(value)).isEqualTo(expectedHex.length() / 2);
        assertThat(ByteUtils.readVarlong(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void randomValuesRoundTripAndSizesMatchWrittenBytes() {
        Random random = new Random(7);
        ByteBuffer buffer = ByteBuffer.allocate(10);
        for (int i = 0; i < 20_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            buffer.clear();
            ByteUtils.writeVarlong(value, buffer);
            assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarlong(value));
            assertThat(ByteUtils.readVarlong(buffer.flip())).isEqualTo(value);

            int intValue = (int) value;
            buffer.clear();
            ByteUtils.writeVarint(intValue, buffer);
            assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarint(intValue));
            assertThat(ByteUtils.readVarint(buffer.flip())).isEqualTo(intValue);
        }
    }

    @ParameterizedTest(name = "varint bytes {0}")
    @ValueSource(strings = {"", "80", "ffff", "ffffffffff", "ffffffffff01", "808080808000"})
    void malformedVarintIsCorruptRecord(String hexBytes) {
        ByteBuffer buffer = ByteBuffer.wrap(hex(hexBytes));

        assertThatThrownBy(() -> ByteUtils.readVarint(buffer)).isInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest(name = "varlong bytes {0}")
    @ValueSource(strings = {"", "80", "ffffffffffffffffffff", "ffffffffffffffffffff01"})
    void malformedVarlongIsCorruptRecord(String hexBytes) {
        ByteBuffer buffer = ByteBuffer.wrap(hex(hexBytes));

        assertThatThrownBy(() -> ByteUtils.readVarlong(buffer)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void overlongVarintNamesItsMaximumLength() {
        assertThatThrownBy(() -> ByteUtils.readVarint(ByteBuffer.wrap(hex("ffffffffff01"))))
                .hasMessageContaining("5 bytes");
        assertThatThrownBy(() -> ByteUtils.readVarlong(ByteBuffer.wrap(hex("ffffffffffffffffffff01"))))
                .hasMessageContaining("10 bytes");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "ascii", "é", "ключ", "键值", "😀 emoji", "\uD83D", "\uDE00x", "a\uD800", "\uDE00\uD83D"})
    void utf8EncodingMatchesTheJdk(String s) {
        byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(expected.length);

        ByteUtils.writeUtf8(s, buffer);

        assertThat(ByteUtils.utf8Length(s)).isEqualTo(expected.length);
        assertThat(buffer.array()).isEqualTo(expected);
    }
}
