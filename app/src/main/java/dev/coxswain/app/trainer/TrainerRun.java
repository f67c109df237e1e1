package dev.coxswain.app.trainer;

import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.eval.EvalPoint;
import dev.coxswain.trainer.launch.ChildProcessLauncher;
import dev.coxswain.trainer.launch.InProcessLauncher;
import dev.coxswain.trainer.launch.JobResult;
import dev.coxswain.trainer.launch.RoleLauncher;
import dev.coxswain.trainer.launch.TrainerJob;
import dev.coxswain.trainer.launch.TrainerRoles;
import dev.coxswain.trainer.launch.TrainerSpec;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code coxswain trainer run}: wires one training job and prints what happened. */
public final class TrainerRun {
    /** How the app starts a job's shard and worker processes: {@code coxswain trainer role ...}. */
    public static final String MAIN_CLASS = "dev.coxswain.app.Main";
    public static final List<String> ROLE_ARGS = List.of("trainer", "role");

    private final PrintStream out;

    public TrainerRun(PrintStream out) {
        this.out = out;
    }

    /** The launcher a spec asks for: child processes running this app, or threads here. */
    public static RoleLauncher launcher(TrainerSpec spec, AgentClient agent) {
        return spec.processes().launch() == TrainerSpec.LaunchMode.PROCESS
                ? new ChildProcessLauncher(MAIN_CLASS, ROLE_ARGS)
                : new InProcessLauncher(() -> TrainerRoles.load(spec, FashionMnist.Split.TRAIN), agent);
    }

    public int run(Map<String, String> settings) throws InterruptedException {
        TrainerSpec spec = TrainerSpec.parse(settings);
        try (AgentClient agent = AgentClient.connect(AgentClientOptions.defaults(spec.steering().agentUri()))) {
            out.printf(Locale.ROOT, "job %s: %d workers, %d shards, %s, batches %s, lr %s (%s), target %.2f; "
                            + "reports to %s%n", spec.jobId(), spec.workers(), spec.shards(), spec.policy(),
                    spec.batches(), spec.optimizer().learningRate(), spec.optimizer().lrScaling().wireName(),
                    spec.run().targetAccuracy(), spec.steering().agentUri());
            if (!spec.scenario().isEmpty()) {
                spec.scenario().injections().forEach(i -> out.println("  injection: " + i));
            }
            JobResult r;
            try (TrainerJob job = TrainerJob.start(spec, launcher(spec, agent), agent,
                    TrainerRoles.load(spec, FashionMnist.Split.TEST))) {
                out.println("coordinator " + job.coordinatorUrl() + " (coxswain trainer status --coordinator "
                        + job.coordinatorUrl() + "); logs in " + spec.processes().workDir().resolve(spec.jobId()));
                r = job.await(Duration.ofHours(24));
            }
            print(spec, r);
            return r.lostUpdates() == 0 ? 0 : 1;
        }
    }

    private void print(TrainerSpec spec, JobResult r) {
        for (EvalPoint p : r.curve()) {
            out.printf(Locale.ROOT, "  step %5d  %7.2f s  %8d samples  test accuracy %.4f on %5d images  loss %.4f%n",
                    p.globalStep(), p.elapsed().toNanos() / 1e9, p.samples(), p.accuracy(), p.images(), p.loss());
        }
        r.reachedTarget().ifPresentOrElse(
                p -> out.printf(Locale.ROOT, "time to %.2f%% test accuracy: %.2f s (global step %d, %d samples)%n",
                        100 * spec.run().targetAccuracy(), p.elapsed().toNanos() / 1e9, p.globalStep(), p.samples()),
                () -> out.println(spec.run().targetAccuracy() > 0 ? "target accuracy not reached" : "no target set"));
        out.printf(Locale.ROOT, "final test accuracy %.4f after %s clocks per worker in %.2f s; %s%n",
                r.finalEval().accuracy(), Arrays.toString(r.clocks()), r.trainingTime().toNanos() / 1e9,
                r.stopReason());
        out.printf(Locale.ROOT, "updates applied %d, lost %d, repeated pushes refused %d, worker restarts %d%n",
                r.appliedUpdates(), r.lostUpdates(), r.duplicatePushes(), r.restarts());
    }
}
