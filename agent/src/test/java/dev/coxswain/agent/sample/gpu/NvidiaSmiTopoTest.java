package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.TopologyReport.GpuLink;
import dev.coxswain.core.telemetry.TopologyReport.LinkKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvidiaSmiTopoTest {
    static final String DGX1 = "nvidia-smi-topo/dgx1-v100-8gpu_hybrid-cube-mesh_4x-mlx5_topo-m_msccl-tools.txt";
    static final String H100 = "nvidia-smi-topo/h100-single-gpu_590.48.01_topo-m_with-ansi.txt";

    @Test
    void readsTheHybridCubeMeshOfADgx1() {
        TopoMatrix m = NvidiaSmiTopo.parse(Fixtures.text(DGX1), "topo");
        assertThat(m.gpus()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(m.links()).hasSize(28);
        assertThat(m.links()).contains(new GpuLink(0, 1, LinkKind.NVLINK, 1), new GpuLink(0, 3, LinkKind.NVLINK, 2),
                new GpuLink(0, 4, LinkKind.NVLINK, 2), new GpuLink(0, 5, LinkKind.SYSTEM, 1),
                new GpuLink(6, 7, LinkKind.NVLINK, 2));
        assertThat(m.links().stream().filter(l -> l.kind() == LinkKind.NVLINK)).hasSize(16);
        assertThat(m.nics()).containsOnlyKeys("mlx5_0", "mlx5_2", "mlx5_1", "mlx5_3");
        assertThat(m.closestGpus("mlx5_0")).containsExactly(0, 1);
        assertThat(m.closestGpus("mlx5_1")).containsExactly(2, 3);
        assertThat(m.closestGpus("mlx5_2")).containsExactly(4, 5);
        assertThat(m.closestGpus("mlx5_3")).containsExactly(6, 7);
        assertThat(m.nics().get("mlx5_0").get(2)).isEqualTo("PHB");
        assertThat(m.cpuAffinity(0)).contains("0-19,40-59");
        assertThat(m.cpuAffinity(7)).contains("20-39,60-79");
        assertThat(m.numaAffinity(0)).isEmpty();
    }

    @Test
    void readsASingleH100WhoseHeaderCarriesTerminalEscapes() {
        TopoMatrix m = NvidiaSmiTopo.parse(Fixtures.text(H100), "topo");
        assertThat(m.gpus()).containsExactly(0);
        assertThat(m.links()).isEmpty();
        assertThat(m.nics()).isEmpty();
        assertThat(m.cpuAffinity(0)).contains("0-19");
        assertThat(m.numaAffinity(0)).contains("0");
        assertThat(m.affinities().get(0)).doesNotContainKey("GPU NUMA ID"); // N/A
    }

    /** A synthetic PCIe box in the newer NIC0..NICn form (no attributable real sample was found). */
    @Test
    void resolvesNicNamesThroughTheNicLegend() {
        String text = "\tGPU0\tGPU1\tNIC0\tNIC1\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\n"
                + "GPU0\t X \tNODE\tPXB\tSYS\t0-31\t0\t\tN/A\n"
                + "GPU1\tNODE\t X \tNODE\tSYS\t0-31\t0\t\tN/A\n"
                + "NIC0\tPXB\tNODE\t X \tSYS\t\t\t\t\n"
                + "NIC1\tSYS\tSYS\tSYS\t X \t\t\t\t\n\nLegend:\n\n  X    = Self\n\nNIC Legend:\n\n"
                + "  NIC0: mlx5_0\n  NIC1: mlx5_1\n";
        TopoMatrix m = NvidiaSmiTopo.parse(text, "topo");
        assertThat(m.links()).containsExactly(new GpuLink(0, 1, LinkKind.NUMA_NODE, 1));
        assertThat(m.nics()).containsOnlyKeys("mlx5_0", "mlx5_1");
        assertThat(m.closestGpus("mlx5_0")).containsExactly(0);
        assertThat(m.closestGpus("mlx5_1")).isEmpty();
    }

    @Test
    void errorsNameTheSourceAndLine() {
        assertThatThrownBy(() -> NvidiaSmiTopo.parse("\tGPU0\tGPU1\nGPU0\t X \tQPI\nGPU1\tQPI\t X \n", "topo"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage("topo line 2: unknown connection code 'QPI' (known: X, NV#, PIX, PXB, PHB, NODE, SYS)");
        assertThatThrownBy(() -> NvidiaSmiTopo.parse("GPU0 GPU1\n", "topo"))
                .hasMessage("topo line 1: expected the tab-separated header of the topology matrix");
        assertThatThrownBy(() -> NvidiaSmiTopo.parse("\tGPU0\tGPU1\nGPU0\t X \nGPU1\tNV4\t X \n", "topo"))
                .hasMessage("topo line 2: expected 2 connection codes after 'GPU0', found 1");
        assertThatThrownBy(() -> NvidiaSmiTopo.parse("\tA\tB\nC\tx\n", "topo"))
                .hasMessage("topo line 1: no column of the header names a row of the matrix");
    }

    @Test
    void readsTheSocCodeOfOldDriversAsSystem() {
        TopoMatrix m = NvidiaSmiTopo.parse("\tGPU0\tGPU1\nGPU0\t X \tSOC\nGPU1\tSOC\t X \n", "topo");
        assertThat(m.links()).isEqualTo(List.of(new GpuLink(0, 1, LinkKind.SYSTEM, 1)));
    }

    @Property(tries = 300)
    void anyTextEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            NvidiaSmiTopo.parse(text, "topo");
            NvidiaSmiTopo.parse("\tGPU0\tGPU1\n" + text, "topo");
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("topo");
        }
    }
}
