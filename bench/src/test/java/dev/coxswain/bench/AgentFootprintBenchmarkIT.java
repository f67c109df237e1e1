package dev.coxswain.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench agent} for one short round: both agents start on the launcher's classpath, answer their health check
 * and report a resident size; the RESULT line carries the figures the docs quote.
 */
class AgentFootprintBenchmarkIT {
    @Test
    void measuresBothAgentsAndPrintsTheResultLine() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new AgentFootprintBenchmark(new PrintStream(text, true, StandardCharsets.UTF_8)).run(1, Duration.ofSeconds(3));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("baseline: " + AgentFootprintBenchmark.BASELINE_FLAGS);
        Matcher m = Pattern.compile("RESULT rss_mb=([0-9.]+) rss_mb_baseline=([0-9.]+) rss_ratio=[0-9.]+"
                + " startup_s=([0-9.]+) startup_s_baseline=([0-9.]+)").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        for (int g = 1; g <= 4; g++) {
            assertThat(Double.parseDouble(m.group(g))).as(printed).isPositive();
        }
    }
}
