package dev.coxswain.whatif.engine;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.FileSink;
import dev.coxswain.whatif.sink.SimOutput;
import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ModelProfile MODEL = new ModelProfile("m", List.of(
            new ModelProfile.ComputeCost("T4", 0.01, 0.001, 65)), 50_000_000L, 25L << 20, 0.33, 0.05);

    @TempDir
    Path dir;

    private static JobSpec ring(String name, List<Integer> gpus, int accumulation, long steps) {
        return new JobSpec(name, MODEL, new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus,
                Collections.nCopies(gpus.size(), 32), accumulation, steps, List.of(), 0);
    }

    private static JobSpec ssp(int staleness, SyncSpec.Consistency c) {
        return new JobSpec("ps", MODEL, new SyncSpec.ParameterServer(c, staleness, List.of(5)),
                List.of(0, 1, 2, 3), List.of(32, 32, 32, 32), 1, 60,
                List.of(new JobSpec.Straggler(2, 4.0, 10, 40)), 0);
    }

    private static Simulation.Result run(List<JobSpec> jobs, SimOutput sink, long seed) {
        return run(ClusterPresets.get("g4dn-12xlarge"), jobs, sink, seed, 1);
    }

    private static Simulation.Result run(ClusterSpec c, List<JobSpec> jobs, SimOutput sink, long seed,
                                         double sampleSec) {
        return new Simulation(new Topology(c), jobs, sink, CLOCK, new Simulation.Options(seed, sampleSec)).run();
    }

    /** Four nodes of four GPUs on NVSwitch with one slow 10 Gbit/s NIC each and no per-flow limit. */
    static final ClusterSpec SLOW_NIC = ClusterFile.parse("slow.yaml", """
            name: slow-nic
            nodeGroups:
              - name: n
                count: 4
                gpu: {type: T4, tflops: 65}
                gpusPerNode: 4
                fabric: {kind: nvswitch, gpuGBps: 100}
                nics: {count: 1, gbps: 10}
            switchTiers:
              - {name: leaf, fanout: 4}
            """);

    private static final class ListSink implements SimOutput {
        final List<Telemetry> records = new ArrayList<>();

        @Override
        public void accept(Telemetry r) {
            records.add(r);
        }

        @Override
        public long count() {
            return records.size();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void reportsEachLinksUtilisationAndEachJobsCommunicationTime() {
        // eight workers on nodes 0 and 1: the ring crosses the slow NICs twice per step
        Simulation.Result r = run(SLOW_NIC, List.of(ring("a", List.of(0, 1, 2, 3, 4, 5, 6, 7), 1, 30)),
                new ListSink(), 1, 0);

        Simulation.JobResult job = r.jobs().getFirst();
        assertThat(job.meanCommSec()).isPositive().isLessThan(job.meanStepSec());
        assertThat(r.links()).allSatisfy(l -> assertThat(l.utilization()).as(l.name()).isBetween(0.0, 1.0));
        Simulation.LinkResult bottleneck = r.links().stream()
                .filter(l -> job.lastBottleneck().startsWith(l.name() + " ")).findFirst().orElseThrow();
        assertThat(bottleneck.kind()).isIn(Topology.LinkKind.NIC_TX, Topology.LinkKind.NIC_RX);
        assertThat(bottleneck.utilization()).as("the job's bottleneck is the busiest link")
                .isGreaterThan(0.3).isEqualTo(r.links().stream()
                        .mapToDouble(Simulation.LinkResult::utilization).max().orElseThrow());
        assertThat(r.links()).filteredOn(l -> l.name().startsWith("n-2/") || l.name().startsWith("n-3/"))
                .as("the idle nodes' links").isNotEmpty().allSatisfy(l -> assertThat(l.utilization()).isZero());
    }

    @Test
    void theFlowsOfAJobsAllReduceAreWhatTheSimulatorMoves() {
        Topology t = new Topology(SLOW_NIC);
        JobSpec job = ring("a", List.of(0, 1, 2, 3, 4, 5, 6, 7), 1, 30);

        List<Collectives.Flow> flows = Collectives.allReduce(t, job);

        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.phase()).isEqualTo("ring");
            assertThat(f.bytesPerHop()).isEqualTo(2.0 * 7 / 8 * 50_000_000L);
            // the ring leaves node 0 once and node 1 once: both nodes' NIC links are on its route
            assertThat(Arrays.stream(f.links()).mapToObj(t::linkName))
                    .contains("n-0/nic-tx", "n-1/nic-tx", "n-0/nic-rx", "n-1/nic-rx")
                    .noneMatch(n -> n.startsWith("n-2/") || n.startsWith("n-3/"));
        });
        assertThat(Collectives.allReduce(t, ring("one", List.of(0), 1, 5))).isEmpty();
        assertThatThrownBy(() -> Collectives.allReduce(t, ssp(2, SyncSpec.Consistency.SSP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not all-reduce");
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        List<JobSpec> jobs = List.of(ring("a", List.of(0, 1, 4, 5), 1, 20), ssp(2, SyncSpec.Consistency.SSP));
        byte[][] out = new byte[3][];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve("t" + i + ".bin");
            try (FileSink s = new FileSink(f, FileSink.Format.BINARY)) {
                run(jobs, s, seeds[i]);
            }
            out[i] = Files.readAllBytes(f);
        }
        assertThat(out[0]).isEqualTo(out[1]);
        assertThat(out[0]).isNotEqualTo(out[2]);
    }

    @Test
    void binaryFileHoldsLengthPrefixedRecordsThatTheCodecDecodes() throws IOException {
        Path f = dir.resolve("t.bin");
        long written;
        try (FileSink s = new FileSink(f, FileSink.Format.BINARY)) {
            run(List.of(ring("a", List.of(0, 1, 4, 5), 1, 5)), s, 1);
            written = s.count();
        }
        int decoded = 0;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
            while (in.available() > 0) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                assertThat(TelemetryCodec.decode(b)).isInstanceOf(DecodeResult.Decoded.class);
                decoded++;
            }
        }
        assertThat(decoded).isEqualTo(written).isGreaterThan(4 * 5);
    }

    @Test
    void sspNeverLetsAWorkerLeadTheSlowestByMoreThanTheBound() {
        for (int bound : new int[]{0, 2, 5}) {
            ListSink sink = new ListSink();
            Simulation.Result r = run(List.of(ssp(bound, bound == 0 ? SyncSpec.Consistency.BSP
                    : SyncSpec.Consistency.SSP)), sink, 3);
            assertThat(r.jobs().get(0).maxStalenessLead()).as("bound " + bound).isEqualTo(bound);
            assertThat(maxLeadFromTelemetry(sink.records)).as("bound " + bound).isLessThanOrEqualTo(bound);
        }
        Simulation.Result asp = run(List.of(ssp(0, SyncSpec.Consistency.ASP)), new ListSink(), 3);
        assertThat(asp.jobs().get(0).maxStalenessLead()).isGreaterThan(5);
    }

    /** From step reports alone: when a worker starts step s, the slowest worker has completed at least s - lead. */
    private static long maxLeadFromTelemetry(List<Telemetry> records) {
        Map<String, List<StepReport>> byWorker = new HashMap<>();
        for (Telemetry t : records) {
            if (t instanceof StepReport s) {
                byWorker.computeIfAbsent(s.workerId(), k -> new ArrayList<>()).add(s);
            }
        }
        long lead = 0;
        for (List<StepReport> reports : byWorker.values()) {
            for (StepReport s : reports) {
                Instant begin = s.timestamp().minusNanos(Math.round((s.stepTimeMs() - s.waitMs()) * 1e6));
                long slowest = Long.MAX_VALUE;
                for (List<StepReport> other : byWorker.values()) {
                    long done = other.stream().filter(o -> !o.timestamp().isAfter(begin.plusNanos(1000))).count();
                    slowest = Math.min(slowest, done);
                }
                lead = Math.max(lead, s.step() - slowest);
            }
        }
        return lead;
    }

    @Test
    void jobsThatShareANicSlowEachOtherDown() {
        Simulation.Result alone = run(SLOW_NIC, List.of(ring("a", List.of(0, 1, 4, 5), 1, 20)), new ListSink(), 1, 0);
        Simulation.Result shared = run(SLOW_NIC, List.of(ring("a", List.of(0, 1, 4, 5), 1, 20),
                ring("b", List.of(2, 3, 6, 7), 1, 20)), new ListSink(), 1, 0);
        Simulation.Result apart = run(SLOW_NIC, List.of(ring("a", List.of(0, 1, 4, 5), 1, 20),
                ring("b", List.of(8, 9, 12, 13), 1, 20)), new ListSink(), 1, 0);
        double a = alone.jobs().get(0).meanStepSec();
        assertThat(shared.jobs().get(0).meanStepSec()).isGreaterThan(a * 1.2);
        assertThat(apart.jobs().get(0).meanStepSec()).isCloseTo(a, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void gradientAccumulationAddsComputeButNoEvents() {
        ClusterSpec c = ClusterPresets.get("g4dn-12xlarge");
        Simulation.Result one = run(c, List.of(ring("a", List.of(0, 1, 4, 5), 1, 30)), new ListSink(), 1, 0);
        Simulation.Result eight = run(c, List.of(ring("a", List.of(0, 1, 4, 5), 8, 30)), new ListSink(), 1, 0);
        assertThat(eight.events()).isEqualTo(one.events());
        assertThat(eight.jobs().get(0).meanStepSec()).isGreaterThan(one.jobs().get(0).meanStepSec());
    }

    @Test
    void stragglerInjectionsAreMarkedAndSlowTheirSteps() {
        ListSink sink = new ListSink();
        run(List.of(ssp(1, SyncSpec.Consistency.SSP)), sink, 3);
        List<JobEvent> events = sink.records.stream().filter(JobEvent.class::isInstance).map(JobEvent.class::cast)
                .toList();
        assertThat(events).extracting(JobEvent::kind).containsExactly("injection.start", "injection.end", "job.end");
        assertThat(events.getLast().workerId()).as("the whole job ended").isEmpty();
        assertThat(events.get(0).workerId()).contains("ps-w2");
        double slow = sink.records.stream().filter(StepReport.class::isInstance).map(StepReport.class::cast)
                .filter(s -> s.workerId().equals("ps-w2") && s.step() >= 10 && s.step() < 40)
                .mapToDouble(StepReport::computeMs).average().orElseThrow();
        double fast = sink.records.stream().filter(StepReport.class::isInstance).map(StepReport.class::cast)
                .filter(s -> s.workerId().equals("ps-w2") && s.step() >= 40)
                .mapToDouble(StepReport::computeMs).average().orElseThrow();
        assertThat(slow / fast).isBetween(3.5, 4.5);
    }

    @Test
    void takesActionsLikeAJobBatchSizeFromTheWorkersNextStepOtherKnobsRefused() {
        ListSink sink = new ListSink();
        Simulation sim = new Simulation(new Topology(ClusterPresets.get("g4dn-12xlarge")),
                List.of(ring("a", List.of(0, 1, 4, 5), 1, 20)), sink, CLOCK, new Simulation.Options(7, 0));
        Instant t = CLOCK.instant();
        sim.offer(new Action("act-1", "a", List.of(KnobSetting.worker("a-w3", Knob.BATCH_SIZE, 8),
                KnobSetting.worker("a-w9", Knob.BATCH_SIZE, 8), KnobSetting.job(Knob.STALENESS, 2)), "rebalance",
                "test", Map.of(), new ExpectedEffect(1, 1), "c1", false, t, t.plusSeconds(30), Optional.empty(),
                Optional.empty(), List.of()));
        sim.offer(new Action("act-2", "other-job", List.of(KnobSetting.worker("x-w0", Knob.BATCH_SIZE, 8)),
                "rebalance", "test", Map.of(), new ExpectedEffect(1, 1), "c1", false, t, t.plusSeconds(30),
                Optional.empty(), Optional.empty(), List.of()));
        sim.run();

        List<JobEvent> knobs = sink.records.stream().filter(JobEvent.class::isInstance).map(JobEvent.class::cast)
                .filter(e -> e.kind().startsWith("knob.")).toList();
        assertThat(knobs).extracting(JobEvent::kind).containsExactly("knob.applied", "knob.rejected",
                "knob.rejected");
        assertThat(knobs).allMatch(e -> e.attributes().get("action").equals("act-1"));
        assertThat(knobs.get(0).workerId()).contains("a-w3");
        assertThat(knobs.get(1).attributes().get("reason")).isEqualTo("no worker a-w9 in job a");
        assertThat(knobs.get(2).attributes().get("reason")).isEqualTo("the simulator models only batch_size");
        List<StepReport> w3 = sink.records.stream().filter(StepReport.class::isInstance).map(StepReport.class::cast)
                .filter(r -> r.workerId().equals("a-w3")).toList();
        assertThat(w3).allMatch(r -> r.batchSize() == 8);
        double w3Compute = w3.stream().mapToDouble(StepReport::computeMs).average().orElseThrow();
        double w0Compute = sink.records.stream().filter(StepReport.class::isInstance).map(StepReport.class::cast)
                .filter(r -> r.workerId().equals("a-w0")).mapToDouble(StepReport::computeMs).average()
                .orElseThrow();
        assertThat(w3Compute).as("8 samples compute faster than 32").isLessThan(w0Compute * 0.6);
    }

    @Test
    void aPacedRunEmitsTheSameRecordsAsAnUnpacedOne() {
        List<JobSpec> jobs = List.of(ring("a", List.of(0, 1, 4, 5), 1, 5));
        ListSink unpaced = new ListSink();
        ListSink paced = new ListSink();
        new Simulation(new Topology(ClusterPresets.get("g4dn-12xlarge")), jobs, unpaced, CLOCK,
                new Simulation.Options(7, 0.5)).run();
        Simulation.Result r = new Simulation(new Topology(ClusterPresets.get("g4dn-12xlarge")), jobs, paced, CLOCK,
                new Simulation.Options(7, 0.5, 1000)).run();
        assertThat(paced.records).isEqualTo(unpaced.records);
        assertThat(r.jobs().getFirst().durationSec()).isGreaterThan(0);
    }
}
