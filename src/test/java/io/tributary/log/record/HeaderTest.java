package io.tributary.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeaderTest {

    @Test
    void equalityGoesByArrayContents() {
        Header a = new Header("k", new byte[] {1, 2});
        Header b = new Header("k", new byte[] {1, 2});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Header("k", new byte[] {1, 3}));
        assertThat(a).isNotEqualTo(new Header("j", new byte[] {1, 2}));
        assertThat(new Header("k", null)).isEqualTo(new Header("k", null)).isNotEqualTo(new Header("k", new byte[0]));
        assertThat(a.toString()).isEqualTo("Header[key=k, value=[1, 2]]");
    }

    @Test
    void keyIsRequiredAndValueIsOptional() {
        assertThatThrownBy(() -> new Header(null, new byte[0])).isInstanceOf(NullPointerException.class);
        assertThat(Header.of("k", null).value()).isNull();
        assertThat(Header.of("k", "ü").value()).containsExactly(0xc3, 0xbc);
        assertThat(Header.of("k", "ü").valueAsString()).isEqualTo("ü");
    }

    @Test
    void simpleRecordEqualityGoesByArrayContents() {
        SimpleRecord a = new SimpleRecord(1L, new byte[] {1}, new byte[] {2}, null);
        SimpleRecord b = SimpleRecord.of(1L, new byte[] {1}, new byte[] {2});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.headers()).isEmpty();
        assertThat(a).isNotEqualTo(SimpleRecord.of(1L, new byte[] {1}, null));
    }

    @Test
    void simpleRecordOfStringsIsUtf8AtTheCurrentTime() {
        long before = System.currentTimeMillis();
        SimpleRecord record = SimpleRecord.of("ключ", null);

        assertThat(record.key()).isEqualTo("ключ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(record.value()).isNull();
        assertThat(record.timestamp()).isBetween(before, System.currentTimeMillis());
    }
}
