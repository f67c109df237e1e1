package dev.coxswain.whatif.eval;

import dev.coxswain.core.BadInputException;
import dev.coxswain.testkit.Malformed;
import dev.coxswain.testkit.Malformed.Format;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.scenario.ScenarioFile;
import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterFileTest;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input drill of the what-if tools' file readers (issue 16): 10,000 malformed copies of a valid file each,
 * every one read or refused with a {@link BadInputException} (file, line and field), none with anything else.
 */
class FileReadersDrillTest {
    private static final int COPIES = 10_000;
    private static final Path EXAMPLES = Path.of("..", "examples", "whatif");
    private static final Path DATA = Path.of("..", "data");

    @TempDir
    Path dir;

    private static String text(Path file, int maxLines) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().limit(maxLines)
                .collect(Collectors.joining("\n"));
    }

    /**
     * Every copy was read or refused cleanly, and enough were refused to show the copies reach the reader's checks
     * (a copy that breaks a column the reader does not use, or doubles a row, is still valid).
     */
    private static void assertRefusesClearly(Malformed.Tally tally) {
        assertThat(tally.read() + tally.refused()).isEqualTo(COPIES);
        assertThat(tally.refused()).as("copies refused, of " + COPIES + " (%s)", tally).isGreaterThan(COPIES / 10);
    }

    /** Writes the copy where the reader reads it from. */
    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void clusterFiles() {
        assertRefusesClearly(Malformed.drill(ClusterFileTest.GOOD, Format.YAML, COPIES, 1,
                copy -> ClusterFile.parse("cluster.yaml", copy), BadInputException.class));
    }

    @Test
    void jobFiles() throws IOException {
        ClusterSpec cluster = ClusterPresets.get("g4dn-12xlarge");
        assertRefusesClearly(Malformed.drill(text(EXAMPLES.resolve("jobs-contention.yaml"), 200), Format.YAML,
                COPIES, 2, copy -> JobFile.parse("jobs.yaml", copy, cluster), BadInputException.class));
    }

    @Test
    void scenarioFiles() throws IOException {
        String valid = text(EXAMPLES.resolve("scenario-ssp.yaml"), 200);
        assertRefusesClearly(Malformed.drill(valid, Format.YAML, COPIES, 3,
                copy -> ScenarioFile.read(file("scenario.yaml", copy)), BadInputException.class));
    }

    @Test
    void measuredAndQueryCsvs() throws IOException {
        String measured = text(DATA.resolve("pollux-placements").resolve("bert").resolve("placements.csv"), 40);
        assertRefusesClearly(Malformed.drill(measured, Format.CSV, COPIES, 4,
                copy -> MeasurementCsv.readMeasured(file("measured.csv", copy)), BadInputException.class));
        String queries = measured.lines().map(l -> l.split(",")[0] + "," + l.split(",")[1])
                .collect(Collectors.joining("\n"));
        assertRefusesClearly(Malformed.drill(queries, Format.CSV, COPIES, 5,
                copy -> MeasurementCsv.readQueries(file("queries.csv", copy)), BadInputException.class));
    }

    @Test
    void referenceTables() throws IOException {
        String valid = text(DATA.resolve("nccl-allreduce").resolve("allreduce_2gpu_h100_pcie_nvlink_bridge.csv"), 40);
        assertRefusesClearly(Malformed.drill(valid, Format.CSV, COPIES, 6, copy -> {
            CsvTable table = new CsvTable(file("table.csv", copy));
            for (int row = 0; row < table.size(); row++) {
                for (String column : List.of("size_bytes", "oop_time_us", "oop_busbw_GBps")) {
                    table.number(row, column);
                }
            }
        }, BadInputException.class));
    }
}
