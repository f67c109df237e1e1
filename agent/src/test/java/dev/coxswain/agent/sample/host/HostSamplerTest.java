package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The host sampler over a fake /proc and /sys written to a temporary directory. */
class HostSamplerTest {
    private static final String NET_HEADER = "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls"
            + " carrier compressed\n";

    @TempDir
    Path proc;
    @TempDir
    Path sys;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SampleErrors errors = new SampleErrors(new SimpleMeterRegistry(), clock);

    private void write(long busy, long idle, long iowait, long ethRx, long ethTx, long availableKb)
            throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  " + busy + " 0 0 " + idle + " " + iowait + " 0 0 0 0 0\n"
                + "cpu0 1 2 3 4\nintr 5\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:  1000 kB\nMemFree: 10 kB\nMemAvailable: "
                + availableKb + " kB\n");
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/dev"), NET_HEADER
                + "    lo:  999 1 0 0 0 0 0 0  999 1 0 0 0 0 0 0\n"
                + "  eth0: " + ethRx + " 1 3 4 0 0 0 0 " + ethTx + " 1 5 6 0 0 0 0\n");
    }

    @Test
    void firstCallPrimesThenRatesComeFromCounterDeltas() throws IOException {
        HostSampler sampler = new HostSampler("node-a", proc, sys, errors);
        write(100, 1000, 0, 1_000, 2_000, 500);
        assertThat(sampler.sample(clock.instant())).isEmpty();
        InfinibandReaderTest.port(sys, "mlx5_0", 1, "100 Gb/sec", "port_rcv_data", "0", "port_xmit_data", "0");
        sampler = new HostSampler("node-a", proc, sys, errors);
        sampler.sample(clock.instant());

        write(100 + 60, 1000 + 30, 10, 1_000 + 4_000, 2_000 + 8_000, 400);
        InfinibandReaderTest.port(sys, "mlx5_0", 1, "100 Gb/sec", "port_rcv_data", "500", "port_xmit_data", "1000",
                "symbol_error", "3");
        clock.advance(Duration.ofSeconds(2));
        HostSample s = sampler.sample(clock.instant()).getFirst();

        assertThat(s.nodeId()).isEqualTo("node-a");
        assertThat(s.timestamp()).isEqualTo(clock.instant());
        assertThat(s.cpuUtilPct()).isEqualTo(60.0);
        assertThat(s.ioWaitPct()).isEqualTo(10.0);
        assertThat(s.memoryTotalBytes()).isEqualTo(1000 * 1024);
        assertThat(s.memoryAvailableBytes()).isEqualTo(400 * 1024);
        assertThat(s.nics()).containsExactly(new HostSample.NicSample("eth0", 2_000, 4_000, 3, 5, 4, 6));
        assertThat(s.ibPorts()).containsExactly(
                new HostSample.IbPortSample("mlx5_0", 1, 1_000, 2_000, 3, 0, 0, 0));
        assertThat(errors.total()).isZero();
    }

    @Test
    void aCounterThatWentBackwardsReadsAsNoTraffic() throws IOException {
        HostSampler sampler = new HostSampler("node-a", proc, sys, errors);
        write(100, 1000, 0, 9_000, 9_000, 500);
        sampler.sample(clock.instant());
        write(200, 1100, 0, 10, 10, 500);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sampler.sample(clock.instant()).getFirst().nics().getFirst().rxBytesPerSec()).isZero();
    }

    @Test
    void anUnreadableFileIsCountedNotThrown() throws IOException {
        HostSampler sampler = new HostSampler("node-a", proc, sys, errors);
        write(100, 1000, 0, 1, 1, 500);
        Files.writeString(proc.resolve("stat"), "cpu  garbage\n");
        assertThat(sampler.sample(clock.instant())).isEmpty();
        Files.delete(proc.resolve("meminfo"));
        assertThat(sampler.sample(Instant.now())).isEmpty();
        assertThat(errors.total()).isEqualTo(2);
    }

    @Test
    void brokenNetDevLeavesNicsEmptyButStillSamplesCpuAndMemory() throws IOException {
        HostSampler sampler = new HostSampler("node-a", proc, sys, errors);
        write(100, 1000, 0, 1, 1, 500);
        sampler.sample(clock.instant());
        write(200, 1100, 0, 1, 1, 500);
        Files.writeString(proc.resolve("net/dev"), NET_HEADER + "  eth0: 1 2\n");
        clock.advance(Duration.ofSeconds(1));
        HostSample s = sampler.sample(clock.instant()).getFirst();
        assertThat(s.nics()).isEmpty();
        assertThat(s.cpuUtilPct()).isEqualTo(50.0);
        assertThat(errors.total()).isEqualTo(1);
    }

    @Test
    void samplesThisMachinesRealProcfs() throws InterruptedException {
        HostSampler sampler = new HostSampler("node-a", Path.of("/proc"), Path.of("/sys"), errors);
        assertThat(sampler.sample(Instant.now())).isEmpty();
        Thread.sleep(50);
        HostSample s = sampler.sample(Instant.now()).getFirst();
        assertThat(s.memoryTotalBytes()).isPositive();
        assertThat(s.nics()).noneMatch(n -> n.name().equals("lo"));
        assertThat(errors.total()).isZero();
    }
}
