package dev.coxswain.trainer.inject;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.testkit.Malformed;
import dev.coxswain.testkit.Malformed.Format;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input drill of the trainer's scenario files (issue 16): 10,000 malformed copies of a shipped scenario, each
 * parsed or refused with a message naming file and line, never anything else.
 */
class ScenarioDrillTest {
    private static final int COPIES = 10_000;

    @Test
    void scenarioFiles() throws IOException {
        String valid = Files.readString(Path.of("..", "docs", "scenarios", "straggler-and-crash.scenario"));
        Malformed.Tally tally = Malformed.drill(valid, Format.WORDS, COPIES, 10,
                copy -> InjectionPlanParser.parse(copy, "drill.scenario"), CoxswainException.class);
        assertThat(tally.refused()).as("copies refused, of " + COPIES + " (%s)", tally).isGreaterThan(COPIES / 10);
    }
}
