package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.coxswain.agent.sample.gpu.QueryGpuFixtures.H100_IDLE;
import static dev.coxswain.agent.sample.gpu.QueryGpuFixtures.H100_LOAD;
import static dev.coxswain.agent.sample.gpu.QueryGpuFixtures.H200_LOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvidiaSmiCsvTest {

    @Test
    void readsTheFullCsvWithHeaderAndUnitsOfAnH100UnderLoad() {
        List<CsvRow> rows = NvidiaSmiCsv.parseWithHeader(Fixtures.text(H100_LOAD), "h100");
        assertThat(rows).hasSize(1);
        CsvRow r = rows.getFirst();
        assertThat(r.values()).hasSize(212 - 74); // 74 of the 212 fields are [N/A] or deprecated
        assertThat(r.required("name")).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(r.integer("index")).isZero();
        assertThat(r.number("memory.used")).hasValue(19818);
        assertThat(r.number("memory.total")).hasValue(81559);
        assertThat(r.number("utilization.gpu")).hasValue(100);
        assertThat(r.number("power.draw")).hasValue(631.95);
        assertThat(r.number("enforced.power.limit")).hasValue(700);
        assertThat(r.number("clocks.current.sm")).hasValue(1980);
        assertThat(r.number("temperature.gpu")).hasValue(59);
        assertThat(r.hexMask("clocks_event_reasons.active")).contains(0L);
        assertThat(r.line()).isEqualTo(2);
    }

    @Test
    void notAvailableNotSupportedAndDeprecatedValuesAreAbsent() {
        CsvRow r = NvidiaSmiCsv.parseWithHeader(Fixtures.text(H100_IDLE), "h100").getFirst();
        assertThat(r.text("fan.speed")).isEmpty(); // [N/A]
        assertThat(r.text("display_mode")).isEmpty(); // [Requested functionality has been deprecated]
        assertThat(r.number("module.power.limit")).isEmpty();
        assertThat(r.hexMask("clocks_event_reasons.active")).contains(1L); // idle
        assertThat(NvidiaSmiCsv.parseNoHeader("0, [Not Supported], N/A", List.of("a", "b", "c"), "x")
                .getFirst().values()).containsOnlyKeys("a");
    }

    @Test
    void readsTheH200Fixture() {
        CsvRow r = NvidiaSmiCsv.parseWithHeader(Fixtures.text(H200_LOAD), "h200").getFirst();
        assertThat(r.required("name")).isEqualTo("NVIDIA H200");
        assertThat(r.number("memory.total")).hasValue(143771);
    }

    @Test
    void readsTheNoHeaderNoUnitsFormBuiltFromTheFixtureColumns() {
        List<String> fields = GpuQuery.CURRENT.fields();
        String line = QueryGpuFixtures.noHeaderLine(H100_LOAD, fields);
        assertThat(line).isEqualTo("0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 100, 19818, "
                + "81559, 1980, 1980, 631.95, 700.00, 59, 0x0000000000000000");
        List<CsvRow> rows = NvidiaSmiCsv.parseNoHeader(line + "\n" + QueryGpuFixtures.withIndex(line, 1) + "\n",
                fields, "nvidia-smi");
        assertThat(rows).extracting(r -> r.integer("index")).containsExactly(0, 1);
        assertThat(rows.getFirst().values()).containsOnlyKeys(fields);
    }

    @Test
    void aRowWithTheWrongNumberOfValuesNamesSourceAndLine() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parseNoHeader("0, a, b\n1, a\n", List.of("x", "y", "z"),
                "nvidia-smi")).isInstanceOf(SourceFormatException.class)
                .hasMessage("nvidia-smi line 2: expected 3 values, found 2: '1, a'");
        assertThatThrownBy(() -> NvidiaSmiCsv.parseWithHeader("\n\n", "nvidia-smi"))
                .hasMessage("nvidia-smi: no header line");
    }

    @Test
    void badNumbersNameTheField() {
        CsvRow r = NvidiaSmiCsv.parseNoHeader("x1, 0xZZ", List.of("index", "mask"), "nvidia-smi").getFirst();
        assertThatThrownBy(() -> r.integer("index")).hasMessage("nvidia-smi line 1: index: 'x1' is not an integer");
        assertThatThrownBy(() -> r.hexMask("mask"))
                .hasMessage("nvidia-smi line 1: mask: '0xZZ' is not a hexadecimal mask");
    }

    @Property(tries = 300)
    void anyTextEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            NvidiaSmiCsv.parseNoHeader(text, GpuQuery.CURRENT.fields(), "nvidia-smi");
            NvidiaSmiCsv.parseWithHeader(text, "nvidia-smi");
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("nvidia-smi");
        }
    }

    @Property(tries = 200)
    void readsBackAnyRowOfPlainValues(@ForAll("values") List<String> values) {
        List<String> fields = values.stream().map(v -> "f" + values.indexOf(v)).distinct().toList();
        List<String> row = values.subList(0, fields.size());
        CsvRow r = NvidiaSmiCsv.parseNoHeader(String.join(", ", row) + "\n", fields, "x").getFirst();
        for (int i = 0; i < fields.size(); i++) {
            assertThat(r.text(fields.get(i))).contains(row.get(i).trim());
        }
    }

    @Provide
    Arbitrary<List<String>> values() {
        return Arbitraries.strings().withChars("abcXYZ019.-_ /%").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.isBlank() && !s.trim().equals("N/A")).list().ofMinSize(1).ofMaxSize(15);
    }
}
