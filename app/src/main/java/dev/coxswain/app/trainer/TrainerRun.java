package dev.coxswain.app.trainer;

import dev.coxswain.core.CoxswainException;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code coxswain trainer run}: wires one training job and prints what happened. Ctrl-C or SIGTERM stops the job at its
 * workers' next clock, and the summary is printed before the process ends (one line saying there was no final
 * evaluation where Ctrl-C at a terminal also ended the shards).
 */
public final class TrainerRun {
    /** How long a signal waits for the stopped job to report and close. */
    private static final long REPORT_WAIT_SEC = 60;
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
            CountDownLatch reported = new CountDownLatch(1);
            AtomicBoolean signalled = new AtomicBoolean();
            Thread onSignal = null;
            try (TrainerJob job = TrainerJob.start(spec, launcher(spec, agent), agent,
                    TrainerRoles.load(spec, FashionMnist.Split.TEST))) {
                out.println("coordinator " + job.coordinatorUrl() + " (coxswain trainer status --coordinator "
                        + job.coordinatorUrl() + "); logs in " + spec.processes().workDir().resolve(spec.jobId()));
                onSignal = stopOnSignal(job, signalled, reported);
                JobResult r;
                try {
                    r = job.await(Duration.ofHours(24));
                } catch (CoxswainException e) {
                    if (!signalled.get()) {
                        throw e;
                    }
                    // Ctrl-C at a terminal ends the shards with this process: the final evaluation cannot read them.
                    out.println("stopped by a signal, without a final evaluation: " + e.getMessage());
                    return 130;
                }
                print(spec, r);
                return r.lostUpdates() == 0 ? 0 : 1;
            } finally {
                reported.countDown();
                if (onSignal != null && !signalled.get()) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(onSignal);
                    } catch (IllegalStateException e) {
                        // a signal came as the job ended: the hook finds it closed and lets the process end
                    }
                }
            }
        }
    }

    /**
     * A shutdown hook that stops {@code job} and holds the process until {@code reported} (the summary printed and
     * the job closed), for at most {@link #REPORT_WAIT_SEC}.
     */
    private static Thread stopOnSignal(TrainerJob job, AtomicBoolean signalled, CountDownLatch reported) {
        Thread hook = new Thread(() -> {
            signalled.set(true);
            if (reported.getCount() > 0) {
                job.stop("stopped by a signal");
            }
            try {
                reported.await(REPORT_WAIT_SEC, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "coxswain-trainer-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
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
