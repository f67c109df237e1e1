package dev.coxswain.core.json;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonParserTest {

    @Test
    void readsNestedValuesWithTheirJavaTypes() {
        Object v = JsonParser.parse(" {\"a\": [1, -2.5e3, \"x\\u00e9\\n\", true, null], \"b\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", List.of(1L, -2500.0, "x\u00e9\n", true, JsonParser.NULL), "b", Map.of()));
    }

    @Test
    void rejectsMalformedTextWithTheOffset() {
        assertThatThrownBy(() -> JsonParser.parse("{\"a\": 1,}")).isInstanceOf(JsonException.class)
                .hasMessageContaining("offset 8");
        assertThatThrownBy(() -> JsonParser.parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> JsonParser.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> JsonParser.parse("01")).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> JsonParser.parse("\"open")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> JsonParser.parse("[".repeat(100))).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> JsonParser.parseObject("[]")).hasMessageContaining("expected a JSON object");
    }

    @Test
    void refusesToWriteNonFiniteNumbers() {
        assertThatThrownBy(() -> JsonWriter.write(Map.of("loss", Double.NaN))).isInstanceOf(JsonException.class)
                .hasMessageContaining("non-finite");
    }

    @Property(tries = 300)
    void writtenValuesReadBackEqual(@ForAll("values") Object value) {
        assertThat(JsonParser.parse(JsonWriter.write(value))).isEqualTo(value);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(l -> (Object) l),
                Arbitraries.doubles().between(-1e9, 1e9).ofScale(3).filter(d -> d != Math.rint(d)).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> lists = leaves.list().ofMaxSize(5).map(l -> (Object) l);
        Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6), leaves).ofMaxSize(5)
                .map(m -> (Object) m);
        return Arbitraries.oneOf(leaves, lists, maps, Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4),
                lists).ofMaxSize(3).map(m -> (Object) m));
    }
}
