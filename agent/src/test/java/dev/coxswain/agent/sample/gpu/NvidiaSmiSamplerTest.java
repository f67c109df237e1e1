package dev.coxswain.agent.sample.gpu;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.coxswain.agent.sample.CommandRunner;
import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GPU sampler against a fake nvidia-smi ({@link FakeNvidiaSmi}): this machine has no GPU and no nvidia-smi, so
 * a script prints output built from the real fixtures.
 */
class NvidiaSmiSamplerTest {
    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SampleErrors errors = new SampleErrors(registry, clock);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(NvidiaSmi.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(NvidiaSmi.class)).detachAppender(logs);
    }

    private NvidiaSmiSampler sampler(Path command, Duration timeout) {
        return new NvidiaSmiSampler("node-a", new NvidiaSmi(command.toString(), new CommandRunner(), timeout,
                errors), errors);
    }

    @Test
    void samplesEveryGpuTheToolReports() throws IOException {
        Path smi = FakeNvidiaSmi.write(dir, FakeNvidiaSmi.twoH100s(), "", false);
        List<GpuSample> samples = sampler(smi, Duration.ofSeconds(10)).sample(clock.instant());
        assertThat(samples).extracting(GpuSample::index).containsExactly(0, 1);
        assertThat(samples.getFirst().memoryUsedBytes()).isEqualTo(19818L << 20);
        assertThat(samples.getFirst().timestamp()).isEqualTo(clock.instant());
        assertThat(errors.total()).isZero();
    }

    @Test
    void aNodeWithoutNvidiaSmiLogsOneLineAndSendsNoGpuSamples() {
        NvidiaSmiSampler sampler = sampler(dir.resolve("no-such-nvidia-smi"), Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(sampler.sample(clock.instant())).isEmpty();
        }
        assertThat(logs.list).hasSize(1);
        assertThat(logs.list.getFirst().getFormattedMessage()).startsWith("no nvidia-smi on this node");
        assertThat(errors.total()).isZero();
    }

    @Test
    void fallsBackToTheLegacyFieldNamesOfOlderDrivers() throws IOException {
        String row = "0, GPU-1, Tesla V100-SXM2-16GB, 50, 100, 16160, 1312, 1530, 250.50, 300.00, 70, 0x4\n";
        Path smi = FakeNvidiaSmi.write(dir, row, "", true);
        NvidiaSmi nvidiaSmi = new NvidiaSmi(smi.toString(), new CommandRunner(), Duration.ofSeconds(10), errors);
        List<GpuSample> samples = new NvidiaSmiSampler("node-a", nvidiaSmi, errors).sample(clock.instant());
        assertThat(samples).hasSize(1);
        assertThat(nvidiaSmi.query()).isEqualTo(GpuQuery.LEGACY);
        assertThat(errors.total()).isZero();
    }

    @Test
    void aFailingDriverIsCountedNotThrown() throws IOException {
        Path smi = FakeNvidiaSmi.script(dir, "#!/bin/sh\necho 'NVIDIA-SMI has failed because it couldn''t "
                + "communicate with the NVIDIA driver.'\nexit 9\n");
        assertThat(sampler(smi, Duration.ofSeconds(10)).sample(clock.instant())).isEmpty();
        assertThat(errors.total()).isEqualTo(1);
        assertThat(registry.get("coxswain.agent.sample.errors").tag("source", "nvidia-smi").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aHungToolIsKilledAtTheTimeout() throws IOException {
        Path pid = dir.resolve("pid");
        Path finished = dir.resolve("finished");
        Path smi = FakeNvidiaSmi.script(dir, "#!/bin/sh\necho $$ > " + pid + "\nsleep 600 && touch " + finished + "\n");
        assertThat(sampler(smi, Duration.ofMillis(300)).sample(clock.instant())).isEmpty();
        assertThat(finished).as("the sample did not wait for the hung tool").doesNotExist();
        assertThat(errors.total()).isEqualTo(1);
        long toolPid = Long.parseLong(Files.readString(pid).strip());
        Await.until("the hung tool to be killed", () -> ProcessHandle.of(toolPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aMalformedRowIsCountedAndTheOtherGpusAreStillSampled() throws IOException {
        String good = QueryGpuFixtures.noHeaderLine(QueryGpuFixtures.H100_LOAD, GpuQuery.CURRENT.fields());
        String bad = QueryGpuFixtures.withIndex(good, 1).replace("631.95", "lots");
        Path smi = FakeNvidiaSmi.write(dir, good + "\n" + bad + "\n", "", false);
        assertThat(sampler(smi, Duration.ofSeconds(10)).sample(clock.instant())).hasSize(1);
        assertThat(errors.total()).isEqualTo(1);
    }
}
