package dev.coxswain.dashboards.view;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.dashboards.ClusterFixture;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JobJsonTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final ClusterSnapshot snapshot = new ClusterFixture(T0, 1).snapshot(3, T0.plusSeconds(30));

    @Test
    void summarisesAJobWithItsPatternWorkersAndMeanStep() {
        JsonObject summary = JobJson.summary(snapshot.jobs().get(ClusterFixture.BIG_JOB));

        assertThat(summary.getString("id")).isEqualTo("resnet-ddp");
        assertThat(summary.getString("pattern")).isEqualTo("RING_ALLREDUCE");
        assertThat(summary.getInteger("workerCount")).isEqualTo(4);
        assertThat(summary.getDouble("meanStepMs")).isBetween(250.0, 450.0);
        assertThat(summary.getLong("lastStep")).isEqualTo(100L);
        assertThat(summary.getInteger("flowCount")).isEqualTo(1);
    }

    @Test
    void detailsEveryWorkerWithItsPlacementAndStepsAndEveryFlowWithItsRoute() {
        JsonObject detail = JobJson.detail(snapshot.jobs().get(ClusterFixture.BIG_JOB));

        JsonArray workers = detail.getJsonArray("workers");
        assertThat(workers.stream().map(w -> ((JsonObject) w).getString("id"))).containsExactly("w0", "w1", "w2", "w3");
        JsonObject w2 = workers.getJsonObject(2);
        assertThat(w2.getString("nodeId")).isEqualTo("n2");
        assertThat(w2.getInteger("gpuIndex")).isZero();
        assertThat(w2.getString("role")).isEqualTo("WORKER");
        JsonObject first = w2.getJsonArray("points").getJsonObject(0);
        assertThat(first.getLong("step")).isZero();
        assertThat(first.getString("timestamp")).isEqualTo(T0.toString());
        assertThat(first.getInteger("batchSize")).isEqualTo(64);
        JsonObject flow = detail.getJsonArray("flows").getJsonObject(0);
        assertThat(flow.getString("from")).isEqualTo("w1");
        assertThat(flow.getJsonArray("route").getList()).hasSize(4).startsWith("nic:n1/mlx5_0~switch:tor-1");
        assertThat(detail.getLong("gradientBytes")).isEqualTo(100L << 20);
    }

    @Test
    void listsParameterServersInTheDetailButDoesNotCountThemAsWorkers() {
        JobMembership membership = new JobMembership("ps-job", T0, JobMembership.CommPattern.PARAMETER_SERVER, 0,
                List.of(new JobMembership.Member("ps0", "n1", -1, JobMembership.Role.PARAMETER_SERVER),
                        new JobMembership.Member("w0", "n1", 0, JobMembership.Role.WORKER)));
        JobView job = new JobView("ps-job", Optional.of(membership), Map.of(), Double.NaN, List.of());

        assertThat(JobJson.summary(job).getInteger("workerCount")).isEqualTo(1);
        JsonArray members = JobJson.detail(job).getJsonArray("workers");
        assertThat(members.stream().map(m -> ((JsonObject) m).getString("role")))
                .containsExactly("PARAMETER_SERVER", "WORKER");
        assertThat(members.getJsonObject(0).getJsonArray("points")).isEmpty();
    }

    @Test
    void writesNullNotNaNForAJobWithoutSteps() {
        JobView idle = new JobView("idle", Optional.empty(), Map.of("w0", List.of()), Double.NaN, List.of());

        JsonObject summary = JobJson.summary(idle);

        assertThat(summary.getValue("meanStepMs")).isNull();
        assertThat(summary.getValue("lastStep")).isNull();
        assertThat(summary.getValue("pattern")).isNull();
        assertThat(JobJson.detail(idle).encode()).doesNotContain("NaN");
    }

    @Test
    void sortsJobsByIdNaturally() {
        List<JobView> jobs = JobJson.sorted(List.of(
                new JobView("job-10", Optional.empty(), Map.of(), Double.NaN, List.of()),
                new JobView("job-9", Optional.empty(), Map.of(), Double.NaN, List.of())));

        assertThat(jobs).extracting(JobView::jobId).containsExactly("job-9", "job-10");
    }
}
