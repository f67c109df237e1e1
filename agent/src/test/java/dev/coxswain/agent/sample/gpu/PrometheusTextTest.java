package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.agent.sample.gpu.PrometheusText.Sample;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {
    static final String T4 = "dcgm-exporter/tesla-t4_dcgm-exporter_460.106.00_metrics_datadog.prom";

    @Test
    void readsADcgmExporterScrape() {
        List<Sample> samples = PrometheusText.parse(Fixtures.text(T4), "dcgm");
        assertThat(samples).hasSize(16);
        Sample power = samples.stream().filter(s -> s.name().equals("DCGM_FI_DEV_POWER_USAGE")).findFirst()
                .orElseThrow();
        assertThat(power.value()).isEqualTo(8.969);
        assertThat(power.labels()).containsEntry("gpu", "0").containsEntry("modelName", "Tesla T4")
                .containsEntry("UUID", "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e")
                .containsEntry("DCGM_FI_PROCESS_NAME", "/usr/bin/dcgm-exporter");
    }

    @Test
    void readsEscapesSpecialValuesTimestampsAndMetricsWithoutLabels() {
        List<Sample> samples = PrometheusText.parse("a_total 3 1700000000000\n"
                + "b{path=\"C:\\\\x\",q=\"say \\\"hi\\\"\",n=\"1\\n2\",} NaN\n  \n# TYPE c gauge\nc{} +Inf\n", "t");
        assertThat(samples.get(0)).isEqualTo(new Sample("a_total", Map.of(), 3));
        assertThat(samples.get(1).labels()).containsExactly(Map.entry("path", "C:\\x"),
                Map.entry("q", "say \"hi\""), Map.entry("n", "1\n2"));
        assertThat(samples.get(1).value()).isNaN();
        assertThat(samples.get(2).value()).isInfinite();
    }

    @Test
    void errorsNameTheSourceLineAndColumn() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbad{gpu=\"0} 1\n", "http://x/metrics"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage("http://x/metrics line 2: unterminated label value at column 14");
        assertThatThrownBy(() -> PrometheusText.parse("m{gpu=0} 1\n", "s"))
                .hasMessage("s line 1: expected '\"' at column 7");
        assertThatThrownBy(() -> PrometheusText.parse("m{gpu=\"0\"} one\n", "s"))
                .hasMessageStartingWith("s line 1: 'one' is not a sample value");
        assertThatThrownBy(() -> PrometheusText.parse("m{gpu=\"0\"}\n", "s"))
                .hasMessageStartingWith("s line 1: expected a value");
    }

    @Property(tries = 500)
    void anyTextEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            PrometheusText.parse(text, "s");
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("s line");
        }
    }
}
