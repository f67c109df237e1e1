package dev.coxswain.whatif.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFileTest {
    static final String JOBS = """
            seed: 5
            jobs:
              - name: j1
                steps: 10
                model:
                  gradientBytes: 1000000
                  compute: [{gpu: T4, tflops: 65, alphaMs: 10, betaMsPerSample: 1}]
                sync: {kind: allreduce, algorithm: hierarchical}
                placement: "22"
                firstNode: 1
                localBatch: 8
              - name: j2
                steps: 10
                model:
                  gradientBytes: 1000000
                  compute: [{gpu: T4, tflops: 65, alphaMs: 10, betaMsPerSample: 1}]
                sync: {kind: ps, consistency: ssp, staleness: 3, servers: [0]}
                workers: ["3:0", "3:1"]
                localBatches: [4, 16]
                stragglers: [{worker: 1, slowdown: 2, fromStep: 2, toStep: 5}]
            """;

    @Test
    void readsPlacementsAsGlobalGpusAndSyncKinds() {
        JobFile.Jobs jobs = JobFile.parse("jobs.yaml", JOBS, ClusterPresets.get("g4dn-12xlarge"));
        assertThat(jobs.seed()).isEqualTo(5);
        assertThat(jobs.jobs().get(0).workerGpus()).containsExactly(4, 5, 8, 9);
        assertThat(jobs.jobs().get(0).sync()).isEqualTo(new SyncSpec.AllReduce(SyncSpec.Algorithm.HIERARCHICAL));
        JobSpec j2 = jobs.jobs().get(1);
        assertThat(j2.workerGpus()).containsExactly(12, 13);
        assertThat(j2.localBatch()).containsExactly(4, 16);
        assertThat(((SyncSpec.ParameterServer) j2.sync()).bound()).isEqualTo(3);
        assertThat(j2.stragglers()).hasSize(1);
    }

    @Test
    void rejectsAGpuThatDoesNotExistOrIsTakenTwice() {
        ClusterSpec c = ClusterPresets.get("g4dn-12xlarge");
        assertThatThrownBy(() -> JobFile.parse("jobs.yaml", JOBS.replace("\"3:1\"", "\"3:4\""), c))
                .hasMessageContaining("jobs.yaml:18: field 'jobs[1].workers[1]': GPU 4 does not exist");
        assertThatThrownBy(() -> JobFile.parse("jobs.yaml", JOBS.replace("\"3:0\"", "\"1:0\""), c))
                .hasMessageContaining("field 'jobs[1]': GPU 4 is already used");
        assertThatThrownBy(() -> JobFile.parse("jobs.yaml", JOBS.replace("\"22\"", "\"25\""), c))
                .hasMessageContaining("jobs.yaml:9: field 'jobs[0].placement': 5 GPUs on node 2");
        assertThatThrownBy(() -> JobFile.parse("jobs.yaml", JOBS.replace("kind: ps", "kind: gossip"), c))
                .hasMessageContaining("field 'jobs[1].sync.kind': 'gossip' is not allreduce or ps");
    }
}
