package dev.coxswain.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench faults}, small: an agent process killed with SIGKILL and a 3 s broker outage under load, both with
 * nothing lost or sent twice, and a collector process killed in a group of three whose jobs the others take over;
 * the RESULT line carries the figures the docs quote.
 */
class FaultsBenchmarkIT {
    @Test
    void theDrillsLoseNothingRepeatNothingAndPrintTheResultLine() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new FaultsBenchmark(new PrintStream(text, true, StandardCharsets.UTF_8), Clock.systemUTC())
                .run(300, Duration.ofSeconds(3), 100, 12);
        String printed = text.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("RESULT records_sent=(\\d+) records_applied=(\\d+) lost=(\\d+) duplicated=(\\d+)"
                + " takeover_s=([0-9.]+) broker_outage_s=([0-9.]+) agent_restart_lost=(\\d+)"
                + " agent_restart_duplicated=(\\d+) episodes_lost=(\\d+) episodes_repeated=(\\d+)"
                + " actions_duplicated=(\\d+)")
                .matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("reports acknowledged over 33 s at 100/s").isGreaterThan(3000);
        assertThat(m.group(2)).as(printed).isEqualTo(m.group(1));
        assertThat(m.group(3)).as(printed).isEqualTo("0");
        assertThat(m.group(4)).as(printed).isEqualTo("0");
        assertThat(Double.parseDouble(m.group(5))).as("a takeover was measured: " + printed).isPositive();
        assertThat(Double.parseDouble(m.group(6))).as(printed).isGreaterThanOrEqualTo(3.0);
        assertThat(m.group(7)).as(printed).isEqualTo("0");
        assertThat(m.group(8)).as(printed).isEqualTo("0");
        assertThat(m.group(9)).as("the straggler's episode went on under its id: " + printed).isEqualTo("0");
        assertThat(m.group(10)).as("and was not announced again: " + printed).isEqualTo("0");
        assertThat(m.group(11)).as("no action twice: " + printed).isEqualTo("0");
        assertThat(printed).contains("acknowledged 300, in Kafka after the restart 300 distinct");
    }
}
