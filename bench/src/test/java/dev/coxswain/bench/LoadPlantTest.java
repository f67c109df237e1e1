package dev.coxswain.bench;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.testkit.MutableClock;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.SimOutput;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load benchmark's simulated cluster: a valid cluster and job mix, whose simulation sends what agents send
 * (topology, membership, steps, GPU and host samples), and stops when told.
 */
class LoadPlantTest {
    @Test
    void theSimulatedClusterSendsWhatItsAgentsWouldAndStopsWhenTold() {
        LoadBenchmark.Plant plant = LoadBenchmark.plant(1024);
        assertThat(plant.cluster().gpuCount()).isEqualTo(1024);
        assertThat(plant.cluster().nodeCount()).isEqualTo(128);
        assertThat(plant.jobs()).hasSize(16).allSatisfy(j -> assertThat(j.workerGpus()).hasSize(64));

        List<Telemetry> sent = new ArrayList<>();
        AtomicReference<Simulation> simulation = new AtomicReference<>();
        SimOutput sink = new SimOutput() {
            @Override
            public void accept(Telemetry record) {
                sent.add(record);
                // stop once 30 simulated seconds are out: the jobs would run for ever
                if (record.timestamp().isAfter(Instant.parse("2026-12-06T10:00:30Z"))) {
                    simulation.get().stop();
                }
            }

            @Override
            public long count() {
                return sent.size();
            }

            @Override
            public void close() {
            }
        };
        simulation.set(new Simulation(new Topology(plant.cluster()), plant.jobs(), sink,
                new MutableClock(Instant.parse("2026-12-06T10:00:00Z")), new Simulation.Options(1, 1, 0)));

        Simulation.Result result = simulation.get().run();

        assertThat(result.simulatedSec()).isBetween(30.0, 31.0);
        assertThat(sent).filteredOn(TopologyReport.class::isInstance).hasSize(128);
        assertThat(sent).filteredOn(JobMembership.class::isInstance).hasSize(16);
        assertThat(sent).filteredOn(HostSample.class::isInstance).hasSizeBetween(128 * 29, 128 * 31);
        assertThat(sent).filteredOn(GpuSample.class::isInstance).hasSizeBetween(1024 * 29, 1024 * 31);
        assertThat(result.jobs()).allSatisfy(j -> assertThat(j.meanStepSec()).as(j.name()).isBetween(0.2, 1.0));
        assertThat(sent).filteredOn(StepReport.class::isInstance).hasSizeGreaterThan(1024 * 30);
    }
}
