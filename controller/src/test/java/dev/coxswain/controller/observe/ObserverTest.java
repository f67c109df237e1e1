package dev.coxswain.controller.observe;

import dev.coxswain.controller.Jobs;
import dev.coxswain.core.telemetry.JobEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ObserverTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    static JobEvent event(String kind, Map<String, String> attributes) {
        return new JobEvent("j", Optional.empty(), T0, kind, attributes);
    }

    @Test
    void measuresEachWorkersSpeedItsOwnTimeAndTheJobsStep() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(20);
        JobObservation obs = new Observer(8, 3).observe(job.view(), List.of(), List.of(), job.now()).orElseThrow();
        assertThat(obs.workers().get("w0").samplesPerSec()).isCloseTo(1500, within(1e-6));
        assertThat(obs.workers().get("w3").samplesPerSec()).isCloseTo(750, within(1e-6));
        // a step lasts the slow worker's 85.3 ms of compute and 10 ms more; w0's own part is 42.7 + 10
        assertThat(obs.stepTimeMs()).isCloseTo(1000.0 * 64 / 750 + 10, within(1e-6));
        assertThat(obs.workers().get("w0").ownStepMs()).isCloseTo(1000.0 * 64 / 1500 + 10, within(1e-6));
        assertThat(obs.globalBatch()).isEqualTo(256);
        assertThat(obs.lastStep()).isEqualTo(19);
        assertThat(obs.sync()).isEqualTo(SyncState.UNKNOWN);
        assertThat(obs.sync().synchronous()).isTrue();
        assertThat(Observer.stepTimeAfter(job.view(), 15, 4)).hasValue(obs.stepTimeMs());
        assertThat(Observer.stepTimeAfter(job.view(), 15, 5)).as("only 4 steps after step 15").isEmpty();
    }

    @Test
    void readsTheSynchronisationFromTheJobsEvents() {
        assertThat(Observer.sync(List.of(event("job.start", Map.of("sync", "ssp(3)")))))
                .isEqualTo(new SyncState(Optional.of("ssp"), OptionalInt.of(3)));
        SyncState changed = Observer.sync(List.of(event("job.start", Map.of("sync", "bsp")),
                event("knob.applied", Map.of("knob", "sync_mode", "value", "ssp")),
                event("knob.applied", Map.of("knob", "staleness", "value", "4")),
                event("knob.applied", Map.of("knob", "staleness", "value", "x"))));
        assertThat(changed.mode()).contains("ssp");
        assertThat(changed.staleness()).as("a value it cannot read is unknown").isEmpty();
        assertThat(changed.synchronous()).isFalse();
        assertThat(Observer.sync(List.of(event("job.start", Map.of("sync", "weird"))))).isEqualTo(SyncState.UNKNOWN);
    }

    @Test
    void takesTheMedianOfTheLastFiveNoiseScalesItCanRead() {
        List<JobEvent> events = new ArrayList<>();
        for (String v : List.of("1000", "70", "13", "nan-ish", "74", "-5", "288", "71")) {
            events.add(event("job.stats", Map.of("grad_noise_scale", v)));
        }
        events.add(event("knob.applied", Map.of("knob", "batch_size", "value", "64")));
        assertThat(Observer.noiseScale(events)).hasValue(71);
        assertThat(Observer.noiseScale(List.of(event("job.start", Map.of())))).isEmpty();
    }

    @Test
    void readsTheModeAJobAsksForAndWhereEachWorkerRuns() {
        assertThat(Observer.requestedMode(List.of(event("job.start", Map.of("controller", "act"))))).contains(
                dev.coxswain.core.control.ControlMode.ACT);
        assertThat(Observer.requestedMode(List.of(event("job.start", Map.of("controller", "sometimes")))))
                .as("not a mode: no request").isEmpty();
        assertThat(Observer.requestedMode(List.of(event("job.start", Map.of("sync", "bsp"))))).isEmpty();
        Jobs job = new Jobs("j", 2, 64, 1500).onNodes("n1", "n2").run(3);
        JobObservation obs = new Observer(8, 3).observe(job.view(), List.of(), List.of(), job.now()).orElseThrow();
        assertThat(obs.workers().get("w1").node()).contains("n2");
    }

    @Test
    void comparesEachWorkersSpeedWithItsPeersInTheSameStepsAfterTheWarmUp() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(10);
        JobObservation early = new Observer(8, 3).observe(job.view(), List.of(), List.of(), job.now()).orElseThrow();
        assertThat(early.workers().get("w3").peakRelativeSpeed()).as("steps 3-9: 7 of the 8 needed").isEmpty();

        job.speed("w3", 1000).run(1).speed("w3", 750).run(2);
        JobObservation obs = new Observer(8, 3).observe(job.view(), List.of(), List.of(), job.now()).orElseThrow();
        // its best step of the last 8 was at 1000 samples/s against its peers' median of 1500
        assertThat(obs.workers().get("w3").peakRelativeSpeed().getAsDouble()).isCloseTo(1000.0 / 1500, within(1e-9));
        assertThat(obs.workers().get("w0").peakRelativeSpeed().getAsDouble()).isCloseTo(1, within(1e-9));
        assertThat(new Observer(8, 100).observe(job.view(), List.of(), List.of(), job.now()).orElseThrow()
                .workers().get("w3").peakRelativeSpeed()).as("all still warm-up").isEmpty();
    }
}
