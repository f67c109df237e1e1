package dev.coxswain.whatif.eval;

import dev.coxswain.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NcclTestsOutputTest {
    /** Real output: nccl-tests inside an mpirun launcher's log with NCCL INFO lines (2 x p4d.24xlarge, EFA). */
    static final Path P4D = Path.of("..", "data", "nccl-allreduce", NcclCheck.P4D_LOG);

    private static final String HEADER = "#       size         count    type   redop    root     time   algbw   busbw"
            + " #wrong     time   algbw   busbw #wrong\n";

    @Test
    void readsTheResultTableOutOfAnMpirunLog() {
        NcclTestsOutput.Run run = NcclTestsOutput.read(P4D);
        assertThat(run.ranks()).isEqualTo(16);
        assertThat(run.rows()).hasSize(30);
        NcclTestsOutput.Row first = run.rows().get(0);
        assertThat(first.sizeBytes()).isEqualTo(8);
        assertThat(first.oopTimeSec()).isCloseTo(179.1e-6, within(1e-12));
        assertThat(first.ipTimeSec()).isCloseTo(176.3e-6, within(1e-12));
        NcclTestsOutput.Row last = run.rows().get(29);
        assertThat(last.sizeBytes()).isEqualTo(4294967296L);
        assertThat(last.oopBusBytesPerSec()).isCloseTo(43.81e9, within(1.0));
        assertThat(last.ipBusBytesPerSec()).isCloseTo(43.72e9, within(1.0));
    }

    @Test
    void readsNewerOutputWithARootColumn(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("ar.txt"), "# nThread 1 nGpus 8\n" + HEADER
                + "     1048576        262144     float     sum      -1    52.10   20.13   35.22      0    51.80"
                + "   20.24   35.42      0\n# Avg bus bandwidth    : 35.3\n");
        NcclTestsOutput.Row r = NcclTestsOutput.read(f).rows().get(0);
        assertThat(r.sizeBytes()).isEqualTo(1048576);
        assertThat(r.oopTimeSec()).isCloseTo(52.10e-6, within(1e-12));
        assertThat(r.ipBusBytesPerSec()).isCloseTo(35.42e9, within(1.0));
    }

    @Test
    void aBadRowNamesFileLineAndField(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("ar.txt"), HEADER
                + "     1048576        262144     float     sum      -1    52.10   20.13   35.22      0    n/a"
                + "   20.24   35.42      0\n");
        assertThatThrownBy(() -> NcclTestsOutput.read(f)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("ar.txt:2: field 'ip time': 'n/a' is not a non-negative number");
        Path cut = Files.writeString(dir.resolve("cut.txt"), HEADER + "  1048576  262144  float  sum  -1  52.10\n");
        assertThatThrownBy(() -> NcclTestsOutput.read(cut)).hasMessageContaining("cut.txt:2: field 'row'");
    }

    @Test
    void aFileWithoutAResultTableSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("log.txt"), "NCCL INFO Bootstrap : Using eth0\n");
        assertThatThrownBy(() -> NcclTestsOutput.read(log)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no nccl-tests header line");
        Path empty = Files.writeString(dir.resolve("empty.txt"), HEADER + "# Out of bounds values : 0 OK\n");
        assertThatThrownBy(() -> NcclTestsOutput.read(empty)).hasMessageContaining("no result rows");
        assertThatThrownBy(() -> NcclTestsOutput.read(dir.resolve("absent.txt")))
                .hasMessageContaining("cannot be read");
    }
}
