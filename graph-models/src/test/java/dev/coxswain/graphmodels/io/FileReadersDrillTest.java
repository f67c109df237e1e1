package dev.coxswain.graphmodels.io;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.eval.PaiMinibatch;
import dev.coxswain.testkit.Malformed;
import dev.coxswain.testkit.Malformed.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input drill of the detector's file readers (issue 16): 10,000 malformed copies each of a steps CSV (as
 * {@code coxswain detect --steps} and {@code models train --recorded} read it) and of a PAI trace window, every one
 * read or refused with a {@link BadInputException} (file, line and field), none with anything else.
 */
class FileReadersDrillTest {
    private static final int COPIES = 10_000;

    @TempDir
    Path dir;

    private static String resource(String name, int maxLines) throws IOException {
        try (InputStream in = FileReadersDrillTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(maxLines)
                    .collect(Collectors.joining("\n"));
        }
    }

    private static void assertRefusesClearly(Malformed.Tally tally) {
        assertThat(tally.read() + tally.refused()).isEqualTo(COPIES);
        assertThat(tally.refused()).as("copies refused, of " + COPIES + " (%s)", tally).isGreaterThan(COPIES / 10);
    }

    @Test
    void stepsCsv() throws IOException {
        String valid = resource("trainer-injection-1-fault.csv", 60);
        assertRefusesClearly(Malformed.drill(valid, Format.CSV, COPIES, 7,
                copy -> new StepCsvReader("steps.csv").read(new StringReader(copy)), BadInputException.class));
    }

    @Test
    void paiTraceWindow() throws IOException {
        String valid = resource("pai/job_2_first60.csv", 60);
        Path file = dir.resolve("window.csv");
        assertRefusesClearly(Malformed.drill(valid, Format.CSV, COPIES, 8,
                copy -> PaiMinibatch.read(Files.writeString(file, copy), "job-2"), BadInputException.class));
    }
}
