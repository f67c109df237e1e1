package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.testkit.Malformed;
import dev.coxswain.testkit.Malformed.Format;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input drill of the agent's nvidia-smi CSV reader (issue 16): 10,000 malformed copies of a real
 * {@code --query-gpu} line (H100 under load), each mapped to a GPU sample or refused as the sampler refuses a row
 * (a {@link SourceFormatException} or an {@link InvalidTelemetryException}, both counted and skipped), never
 * anything else: a broken tool must not stop the agent's sampling.
 */
class NvidiaSmiDrillTest {
    private static final int COPIES = 10_000;

    @Test
    void queryGpuLines() {
        String valid = QueryGpuFixtures.noHeaderLine(QueryGpuFixtures.H100_LOAD, GpuQuery.CURRENT.fields());
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        Malformed.Tally tally = Malformed.drill(valid, Format.CSV, COPIES, 9, copy -> {
            for (CsvRow row : NvidiaSmiCsv.parseNoHeader(copy, GpuQuery.CURRENT.fields(), "nvidia-smi")) {
                GpuQuery.toSample(row, "node-a", t);
            }
        }, CoxswainException.class);
        assertThat(tally.refused()).as("copies refused, of " + COPIES + " (%s)", tally).isGreaterThan(COPIES / 10);
    }
}
