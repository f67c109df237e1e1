package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfinibandReaderTest {

    /** Writes a fake {@code sys/class/infiniband/DEV/ports/PORT} tree with the given counter files. */
    static void port(Path sys, String device, int port, String rate, String... counters) throws IOException {
        Path dir = sys.resolve("class/infiniband").resolve(device).resolve("ports").resolve(String.valueOf(port));
        Files.createDirectories(dir.resolve("counters"));
        Files.writeString(dir.resolve("rate"), rate + "\n");
        for (int i = 0; i < counters.length; i += 2) {
            Files.writeString(dir.resolve("counters").resolve(counters[i]), counters[i + 1] + "\n");
        }
    }

    @Test
    void readsEveryPortOfTheProcfsLibraryFixtureTree() throws IOException {
        InfinibandReader reader = new InfinibandReader(Fixtures.path("procfs/prometheus-procfs/fixtures/sys"));
        List<IbPortCounters> ports = reader.read();
        assertThat(ports).extracting(p -> p.device() + "/" + p.port())
                .containsExactly("hfi1_0/1", "mlx4_0/1", "mlx4_0/2", "mlx5_0/1");
        IbPortCounters mlx5 = ports.get(3);
        assertThat(mlx5.xmitDataWords()).isEqualTo(2880761508848L);
        assertThat(mlx5.rcvDataWords()).isEqualTo(18126345378L);
        assertThat(mlx5.xmitBytes()).isEqualTo(2880761508848L * 4);
        assertThat(reader.rateBitsPerSec("mlx4_0", 2)).contains(40e9);
        assertThat(reader.rateBitsPerSec("hfi1_0", 1)).contains(100e9);
        assertThat(reader.devices()).containsExactly("hfi1_0", "mlx4_0", "mlx5_0");
    }

    @Test
    void convertsDataCountersFromFourByteWordsAndDefaultsMissingErrorCounters(@TempDir Path sys)
            throws IOException {
        port(sys, "mlx5_0", 1, "200 Gb/sec (4X HDR)", "port_rcv_data", "1000", "port_xmit_data", "250",
                "link_downed", "2");
        IbPortCounters p = new InfinibandReader(sys).read().getFirst();
        assertThat(p.rcvBytes()).isEqualTo(4000);
        assertThat(p.xmitBytes()).isEqualTo(1000);
        assertThat(p.linkDowned()).isEqualTo(2);
        assertThat(p.symbolErrors()).isZero();
    }

    @Test
    void aNodeWithoutInfinibandHasNoPorts(@TempDir Path sys) throws IOException {
        assertThat(new InfinibandReader(sys).read()).isEmpty();
        assertThat(new InfinibandReader(sys).devices()).isEmpty();
    }

    @Test
    void skipsPortsWithoutDataCounters(@TempDir Path sys) throws IOException {
        port(sys, "mlx5_0", 1, "100 Gb/sec (4X EDR)", "symbol_error", "0");
        assertThat(new InfinibandReader(sys).read()).isEmpty();
    }

    @Test
    void namesTheFileOfAMalformedCounter(@TempDir Path sys) throws IOException {
        port(sys, "mlx5_0", 1, "100 Gb/sec (4X EDR)", "port_rcv_data", "N/A", "port_xmit_data", "1");
        assertThatThrownBy(() -> new InfinibandReader(sys).read())
                .isInstanceOf(SourceFormatException.class)
                .hasMessageContaining("mlx5_0/ports/1/counters/port_rcv_data line 1: port_rcv_data: 'N/A'");
    }

    @Test
    void readsLinkRates() {
        assertThat(InfinibandReader.parseRate("25 Gb/sec (1X EDR)\n")).contains(25e9);
        assertThat(InfinibandReader.parseRate("2.5 Gb/sec (1X SDR)")).contains(2.5e9);
        assertThat(InfinibandReader.parseRate("unknown")).isEmpty();
    }
}
