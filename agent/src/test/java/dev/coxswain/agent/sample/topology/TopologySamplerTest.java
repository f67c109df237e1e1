package dev.coxswain.agent.sample.topology;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.CommandRunner;
import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.gpu.FakeNvidiaSmi;
import dev.coxswain.agent.sample.gpu.NvidiaSmi;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.telemetry.TopologyReport.NicInfo;
import dev.coxswain.core.telemetry.TopologyReport.NicKind;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topology discovery against a fake nvidia-smi (this machine has no GPU) printing the real DGX-1 {@code topo -m}
 * fixture, and a fake sysfs tree with its four mlx5 adapters and one Ethernet interface.
 */
class TopologySamplerTest {
    @TempDir
    Path tools;
    @TempDir
    Path sys;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SampleErrors errors = new SampleErrors(new SimpleMeterRegistry(), clock);

    /** Eight GPUs in the agent's query form; UUIDs and names are made up (the topo fixture has none). */
    private static String eightV100s() {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            rows.append(i).append(", GPU-").append(i).append(", Tesla V100-SXM2-16GB, 0, 0, 16160, 1312, 1530, 40.00,"
                    + " 300.00, 35, 0x0000000000000001\n");
        }
        return rows.toString();
    }

    private void ibDevice(String name, String rate, String layer) throws IOException {
        Path port = sys.resolve("class/infiniband").resolve(name).resolve("ports/1");
        Files.createDirectories(port);
        Files.writeString(port.resolve("rate"), rate + "\n");
        Files.writeString(port.resolve("link_layer"), layer + "\n");
    }

    private void netInterface(String name, String speed, boolean physical) throws IOException {
        Path dir = sys.resolve("class/net").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("speed"), speed + "\n");
        Files.writeString(dir.resolve("type"), "1\n");
        if (physical) {
            Files.createDirectories(dir.resolve("device"));
        }
    }

    private TopologySampler sampler(String command) {
        return new TopologySampler("node-a", new NvidiaSmi(command, new CommandRunner(), Duration.ofSeconds(10),
                errors), sys, Duration.ofMinutes(1), errors);
    }

    @Test
    void reportsGpusLinksAndNicsOfADgx1() throws IOException {
        Path smi = FakeNvidiaSmi.write(tools, eightV100s(), Fixtures.text(
                "nvidia-smi-topo/dgx1-v100-8gpu_hybrid-cube-mesh_4x-mlx5_topo-m_msccl-tools.txt"), false);
        for (int i = 0; i < 4; i++) {
            ibDevice("mlx5_" + i, "100 Gb/sec (4X EDR)", "InfiniBand");
        }
        netInterface("eth0", "10000", true);
        netInterface("docker0", "-1", false);
        TopologyReport r = (TopologyReport) sampler(smi.toString()).sample(clock.instant()).getFirst();
        assertThat(r.gpus()).hasSize(8);
        assertThat(r.gpus().get(3).uuid()).isEqualTo("GPU-3");
        assertThat(r.gpuLinks()).hasSize(28);
        assertThat(r.nics()).extracting(NicInfo::name).containsExactly("eth0", "mlx5_0", "mlx5_1", "mlx5_2",
                "mlx5_3");
        assertThat(r.nics().get(1)).isEqualTo(new NicInfo("mlx5_0", NicKind.INFINIBAND, 100e9, List.of(0, 1),
                Optional.empty()));
        assertThat(r.nics().getFirst()).isEqualTo(new NicInfo("eth0", NicKind.ETHERNET, 10e9, List.of(),
                Optional.empty()));
        assertThat(errors.total()).isZero();
    }

    @Test
    void reportsOnlyAtStartAndWhenTheHardwareChanges() throws IOException {
        netInterface("eth0", "10000", true);
        TopologySampler sampler = sampler("");
        assertThat(sampler.sample(clock.instant())).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(sampler.sample(clock.instant())).isEmpty();
        netInterface("eth1", "25000", true);
        clock.advance(Duration.ofSeconds(30));
        assertThat(sampler.sample(clock.instant())).as("not rechecked before a minute").isEmpty();
        clock.advance(Duration.ofSeconds(40));
        TopologyReport changed = (TopologyReport) sampler.sample(clock.instant()).getFirst();
        assertThat(changed.nics()).extracting(NicInfo::name).containsExactly("eth0", "eth1");
    }

    @Test
    void aNodeWithoutGpusReportsItsNicsOnly() throws IOException {
        netInterface("eth0", "1000", true);
        TopologyReport r = (TopologyReport) sampler(tools.resolve("absent").toString()).sample(clock.instant())
                .getFirst();
        assertThat(r.gpus()).isEmpty();
        assertThat(r.nics()).extracting(NicInfo::name).containsExactly("eth0");
    }

    @Test
    void skipsDiscoveryWhenNvidiaSmiExistsButFails() throws IOException {
        Path smi = FakeNvidiaSmi.script(tools, "#!/bin/sh\necho 'driver not loaded'\nexit 9\n");
        assertThat(sampler(smi.toString()).sample(clock.instant())).isEmpty();
        assertThat(errors.total()).isEqualTo(1);
    }

    @Test
    void discoversThisMachine() {
        TopologyReport r = (TopologyReport) new TopologySampler("node-a", new NvidiaSmi("nvidia-smi",
                new CommandRunner(), Duration.ofSeconds(10), errors), Path.of("/sys"), Duration.ofMinutes(1), errors)
                .sample(clock.instant()).getFirst();
        assertThat(r.gpus()).isEmpty(); // no GPU here
        assertThat(errors.total()).isZero();
    }
}
