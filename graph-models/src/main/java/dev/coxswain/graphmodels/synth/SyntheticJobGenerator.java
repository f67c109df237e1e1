package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.synth.JobShape.Group;
import dev.coxswain.graphmodels.synth.JobShape.Scope;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * SYNTHETIC labelled jobs for training and evaluating the cause models: not measurements. Each job has 8-32
 * data-parallel workers placed on hosts (4 or 8 GPUs, 1 or 2 NICs) under switches, healthy step components
 * (compute, communication, input wait) with per-job noise, telemetry baselines, single-sample spikes (which are not
 * stragglers), and up to a few straggler episodes of mixed causes:
 * <ul>
 *   <li>GPU compute: one worker's SM clock drops and compute time rises by the same factor; the throttle flag is
 *       set in most samples;</li>
 *   <li>host contention: one worker or every worker of a host waits for input, CPU near saturation, GPU
 *       utilisation down;</li>
 *   <li>network: every worker behind one NIC or one switch spends longer communicating, its uplink loaded;</li>
 *   <li>imbalance: one worker gets a larger batch, or runs on a slower device at full clock (then for the whole
 *       job, the heterogeneous-hardware case).</li>
 * </ul>
 * Confounders keep the causes from being told apart by one column: a fifth of the hosts run a busy CPU and a fifth
 * of the switches a loaded link without slowing anyone; healthy GPUs report a throttle reason now and then; a
 * throttled GPU reports its throttle reason in only 70% of its samples; some GPUs are throttled from the job's
 * start and some slower devices join mid-run; half of the uneven-batch cases have uneven work per sample (sequence
 * lengths) with an unchanged batch-size column. A job lacks each group of telemetry columns with probability
 * {@link SynthConfig#telemetryDropout()}, so the models meet the partial telemetry of real sources.
 * Deterministic for a given {@link Random} seed.
 * The generator's modelling choices are documented in docs/detection.md; figures from it are labelled synthetic.
 */
public final class SyntheticJobGenerator {

    /** Share of a healthy GPU's samples that show a compute-slowing throttle reason anyway (brief power caps). */
    private static final double SPURIOUS_THROTTLE = 0.02;
    private static final Cause[] CAUSES = {Cause.GPU_COMPUTE, Cause.HOST_CONTENTION, Cause.NETWORK, Cause.IMBALANCE};

    private final SynthConfig config;
    private final Random random;

    public SyntheticJobGenerator(SynthConfig config, Random random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** {@link SynthConfig#jobs()} jobs named {@code <prefix>-<i>}. */
    public List<LabelledJob> generate(String prefix) {
        List<LabelledJob> jobs = new ArrayList<>(config.jobs());
        for (int j = 0; j < config.jobs(); j++) {
            jobs.add(job(prefix + "-" + j));
        }
        return jobs;
    }

    private LabelledJob job(String jobId) {
        JobShape shape = new JobShape(config, random);
        List<Episode> episodes = episodes(shape);
        List<WorkerSeries> windows = new ArrayList<>();
        Map<String, List<Truth>> truth = new HashMap<>();
        for (int w = 0; w < shape.workers; w++) {
            List<WorkerSample> samples = new ArrayList<>(config.steps());
            List<Truth> truths = new ArrayList<>(config.steps());
            for (int t = 0; t < config.steps(); t++) {
                Episode e = active(episodes, w, t);
                StepDraw d = draw(shape, w, t, e);
                samples.add(d.sample);
                truths.add(d.truth);
            }
            windows.add(new WorkerSeries("w" + w, shape.placement(w), samples));
            truth.put("w" + w, truths);
        }
        return new LabelledJob(new JobWindow(jobId, windows), truth);
    }

    private static Episode active(List<Episode> episodes, int worker, int step) {
        for (Episode e : episodes) {
            if (e.covers(worker, step)) {
                return e;
            }
        }
        return null;
    }

    private List<Episode> episodes(JobShape shape) {
        int count = random.nextInt(config.maxEpisodes() + 1);
        List<Episode> out = new ArrayList<>();
        for (int tries = 0; out.size() < count && tries < 20; tries++) {
            Episode e = episode(shape);
            if (e.workers().size() * 2 <= shape.workers && out.stream().noneMatch(e::overlaps)) {
                out.add(e);
            }
        }
        return out;
    }

    private Episode episode(JobShape shape) {
        Cause cause = CAUSES[random.nextInt(CAUSES.length)];
        int worker = random.nextInt(shape.workers);
        double severity = 1.12 + random.nextDouble() * 0.88;
        int from = 10 + random.nextInt(config.steps() - 35);
        int to = from + 20 + random.nextInt(config.steps() - from - 19);
        Scope scope = switch (cause) {
            case HOST_CONTENTION -> random.nextDouble() < 0.6 ? Scope.HOST : Scope.WORKER;
            case NETWORK -> random.nextBoolean() ? Scope.NIC : Scope.SWITCH;
            default -> Scope.WORKER;
        };
        boolean hardware = cause == Cause.IMBALANCE && random.nextDouble() < 0.4;
        boolean fromStart = hardware ? random.nextDouble() < 0.7 : cause == Cause.GPU_COMPUTE && random.nextDouble() < 0.3;
        if (fromStart) {
            from = 0;
            to = config.steps();
        }
        boolean hiddenBatch = cause == Cause.IMBALANCE && !hardware && random.nextBoolean();
        double clockFactor = hardware ? 0.85 + random.nextDouble() * 0.3 : 1;
        return new Episode(cause, new HashSet<>(shape.sharing(worker, scope)), from, to, severity, hardware,
                clockFactor, hiddenBatch);
    }

    private record StepDraw(WorkerSample sample, Truth truth) {
    }

    private StepDraw draw(JobShape shape, int w, int t, Episode e) {
        StepState s = new StepState(shape, w);
        if (e != null) {
            s.apply(e, shape, random);
        }
        double cleanStep = s.compute + s.comm + s.wait;
        Truth truth = e == null ? new Truth(Cause.NONE, cleanStep / shape.healthyStepMs())
                : new Truth(e.cause(), cleanStep / shape.healthyStepMs());
        double compute = s.compute * noise(shape);
        double comm = s.comm * noise(shape);
        double wait = s.wait * noise(shape);
        if (random.nextDouble() < config.spikeRate()) {
            wait += (compute + comm + wait) * (0.5 + random.nextDouble() * 1.5);
        }
        double step = compute + comm + wait;
        Signals signals = signals(shape, w, s, compute, comm, wait, step);
        return new StepDraw(WorkerSample.of(t, step, signals), truth);
    }

    private double noise(JobShape shape) {
        return Math.exp(random.nextGaussian() * shape.noise);
    }

    private Signals signals(JobShape shape, int w, StepState s, double compute, double comm, double wait,
                            double step) {
        Signals out = Signals.none();
        if (shape.present.contains(Group.BREAKDOWN)) {
            out = out.with(Signal.COMPUTE_MS, compute).with(Signal.COMM_MS, comm).with(Signal.DATA_MS, wait);
        }
        if (shape.present.contains(Group.GPU)) {
            double util = 100 * compute / step * (0.93 + random.nextDouble() * 0.06);
            out = out.with(Signal.GPU_UTIL_PCT, clamp(util, 0, 100))
                    .with(Signal.SM_CLOCK_MHZ, s.clockMhz * (1 + random.nextGaussian() * 0.005));
        }
        if (shape.present.contains(Group.THROTTLE)) {
            out = out.with(Signal.THROTTLED, s.throttleProbability > random.nextDouble() ? 1 : 0);
        }
        if (shape.present.contains(Group.CPU)) {
            out = out.with(Signal.CPU_UTIL_PCT, clamp(s.cpuPct + random.nextGaussian() * 3, 0, 100));
        }
        if (shape.present.contains(Group.BATCH)) {
            out = out.with(Signal.BATCH_SIZE, s.batch);
        }
        if (shape.present.contains(Group.LINK)) {
            out = out.with(Signal.LINK_UTIL, Math.max(0, s.linkUtil + random.nextGaussian() * 0.03));
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The noise-free state of one worker at one step, before and after its episode's effect. */
    private static final class StepState {
        double compute;
        double comm;
        double wait;
        double clockMhz;
        double throttleProbability;
        double cpuPct;
        int batch;
        double linkUtil;

        StepState(JobShape shape, int w) {
            compute = shape.computeMs * shape.heterogeneity[w];
            comm = shape.commMs;
            wait = shape.waitMs;
            clockMhz = shape.clockMaxMhz;
            throttleProbability = SPURIOUS_THROTTLE;
            cpuPct = shape.hostCpuPct[shape.host[w]];
            batch = shape.batch;
            linkUtil = shape.switchLinkUtil[shape.switchOf[w]];
        }

        void apply(Episode e, JobShape shape, Random random) {
            double extra = (e.severity() - 1) * shape.healthyStepMs();
            switch (e.cause()) {
                case GPU_COMPUTE -> {
                    double f = 1 + extra / compute;
                    compute *= f;
                    clockMhz /= f;
                    throttleProbability = 0.7;
                }
                case HOST_CONTENTION -> {
                    wait += 0.85 * extra;
                    compute += 0.15 * extra;
                    cpuPct = 85 + random.nextDouble() * 15;
                }
                case NETWORK -> {
                    comm += extra;
                    linkUtil = 0.85 + random.nextDouble() * 0.45;
                }
                case IMBALANCE -> {
                    double f = 1 + extra / compute;
                    compute *= f;
                    if (e.hardware()) {
                        clockMhz *= e.clockFactor();
                    } else if (!e.hiddenBatch()) {
                        batch = (int) Math.round(batch * f);
                    }
                }
                default -> throw new IllegalStateException("no effect for " + e.cause());
            }
        }
    }
}
