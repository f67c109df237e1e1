package dev.coxswain.bench;

import dev.coxswain.app.cli.Clusters;
import dev.coxswain.app.cli.Command;
import dev.coxswain.app.cli.Options;
import dev.coxswain.app.cli.UsageException;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code coxswain bench <name>}: benchmark commands that print their figures and end with a RESULT line. A
 * {@link Command} service ({@code META-INF/services}), which {@code app}'s main finds on the launcher's classpath.
 */
public final class BenchCommand implements Command {
    /** The plant of {@code bench network}: two jobs sharing 4:1 oversubscribed leaf uplinks, and a control. */
    static final String NETWORK_CLUSTER = "examples/whatif/cluster-oversubscribed.yaml";
    static final String NETWORK_JOBS = "examples/whatif/jobs-cross-leaf.yaml";

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "run a benchmark: ingest, trainer, causes, controller, network, agent, json, faults, load";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain bench ingest [--runs N] [--records N]
                  ingest   decode+validate+graph update rate on one thread; end-to-end rate through the embedded
                           broker over the raw consumer rate; p99 produce-to-graph latency at 10,000 records/s.
                           --runs (default 3) repetitions after one warm-up, medians reported;
                           --records (default 1000000) per broker run.
                usage: coxswain bench trainer [--repeats N] [--quiet PCT] [--threads] [--agent URL] [--set trainer.key=value ...]
                  trainer  time to 85% Fashion-MNIST test accuracy of the reference trainer, 4 workers, under BSP,
                           SSP(3), ASP; the same with w3 slowed 2x; and BSP with that straggler and hand-set
                           per-worker batches through the agent's knob API. --repeats (default 3) rounds, medians
                           reported; child processes unless --threads; an in-process agent unless --agent;
                           --quiet 25 waits before each run until the machine is under 25% busy (shared machines).
                usage: coxswain bench causes [--faults N] [--record <csv>] [--set trainer.key=value ...]
                  causes   the live straggler detector (as in the demo) against the reference trainer's recorded
                           fault injections of different causes, one at a time (compute slowdowns, input stalls,
                           link latency and bandwidth caps), rotating over the workers: detection, latency, cause
                           accuracy, false episodes. --faults (default 10) injections of 25 s, 20 s apart;
                           --record writes the detector's input labelled with the injections (training data for
                           'coxswain models train --recorded').
                usage: coxswain bench controller [--rounds N] [--scenario FILE | --job pytorch] [--set key=value ...]
                  controller  the controller (act mode) against the reference trainer through the whole daemon: per
                           round the job clean, with the scenario and no controller (static), with the scenario and
                           the controller (controlled), and clean with the controller; time to 85% accuracy, the
                           recovered fraction, the overhead, actions, rollbacks and wrong actions. --rounds
                           (default 3); --scenario a trainer scenario file (docs/scenarios/), default w3 2x slower
                           from the start under BSP; trainer.* and daemon keys with --set.
                           --job pytorch: the PyTorch DDP example (examples/pytorch, 4 gloo ranks) as the job,
                           rank w3 2x slower from the start when faulty (needs Debian's python3-torch).
                       coxswain bench controller --sim [--rounds N] [--jobs FILE] [--set key=value ...]
                  --sim    the same four runs with the what-if simulator as the plant, in real time through the
                           broker: by default eight 32-GPU jobs on 256 simulated H100s (dgx-h100), three with
                           stragglers (2x, 1.5x, 3x); --jobs a jobs file (docs/whatif.md) on that preset; --rounds
                           (default 1). Times are the jobs' simulated times, the recovered fraction over the jobs
                           with stragglers.
                usage: coxswain bench network [--cluster C] [--jobs FILE] [--seconds N] [--rounds N]
                                              [--set key=value ...]
                  network  the live network model (the collector's, with network.model) against the what-if
                           simulator as the plant, in real time through the broker: each job's exchange time as the
                           live view predicts it against the simulator's, beside the fair-share and idle-network
                           estimates, and the recent error once refitted to the step reports. --cluster a preset or
                           cluster file, --jobs a jobs file (default examples/whatif/cluster-oversubscribed.yaml and
                           jobs-cross-leaf.yaml: two jobs sharing 4:1 oversubscribed leaf uplinks, and a control),
                           --seconds (default 60) per round, --rounds (default 3) each with its own seed, broker
                           and collector; medians over the rounds.
                usage: coxswain bench agent [--rounds N] [--seconds S]
                  agent    one node agent's memory as the launcher starts it: time until its intake answers and its
                           resident memory S seconds after start (default 40), with the flags of
                           scripts/agent-jvm-options and with the former fixed 256 MB heap, --rounds (default 3)
                           each, alternating; medians and their ratio.
                usage: coxswain bench json [--rounds N] [--ops N]
                  json     the project's JSON code (core.json) against Jackson on a controller action: parse, write
                           and the control codec's round trip, one thread, --rounds (default 5) of --ops (default
                           200000) after a warm-up; medians.
                usage: coxswain bench faults [--records N] [--outage SECONDS] [--rate N] [--jobs N]
                  faults   reliability drills with the real broker, agent and collector. Agent restart: a
                           'coxswain agent' process takes --records (default 10000) step reports while Kafka is
                           down and is killed with SIGKILL; a second one on its spool delivers them: lost and
                           duplicated. Broker outage: --rate (default 1000) reports/s to an agent, the broker
                           stopped for --outage (default 60) s and started again: lost, duplicated, what the
                           agent buffered and how long the collector took to apply the backlog. Collector
                           failover: three 'coxswain collector' processes in one group, --jobs (default 12) jobs
                           streaming; the one holding most is killed with SIGKILL: seconds until the two left
                           hold every job again.
                usage: coxswain bench load [--gpus N,N,...] [--seconds S] [--heap SIZE]
                  load     how large a cluster one collector holds: a 'coxswain collector' process (-Xmx --heap,
                           default 2g) reads the telemetry of a cluster the what-if simulator runs in real time
                           (DGX H100 nodes, GPU and host samples each second, step reports of 64-worker jobs
                           of three models) for --seconds (default 60)
                           per size of --gpus (default 1024,2560,5120,10240): consumer lag, snapshot staleness,
                           resident memory, and whether its dashboard and detector answer.
                Every benchmark ends with one line: RESULT key=value ...""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("name a benchmark");
        }
        if (args.get(0).equals("trainer")) {
            Options t = Options.parse(args.subList(1, args.size()), Set.of("repeats", "agent", "quiet"),
                    Set.of("threads"));
            double quiet = t.getDouble("quiet", 0, 0, 100) / 100;
            new TrainerBench(System.out).run(t.getInt("repeats", 3), t.flag("threads"), quiet,
                    t.get("agent").map(java.net.URI::create), t.overrides());
            return 0;
        }
        if (args.get(0).equals("causes")) {
            Options c = Options.parse(args.subList(1, args.size()), Set.of("faults", "record"), Set.of());
            new CauseBenchmark(System.out, Clock.systemUTC()).run(c.getInt("faults", 10, 1), c.overrides(),
                    c.path("record"));
            return 0;
        }
        if (args.get(0).equals("controller")) {
            Options c = Options.parse(args.subList(1, args.size()), Set.of("rounds", "scenario", "jobs", "job"),
                    Set.of("sim"));
            String job = c.get("job").orElse("trainer");
            if (!job.equals("trainer") && !job.equals("pytorch")) {
                throw new UsageException("--job " + job + ": must be trainer or pytorch");
            }
            if (c.flag("sim")) {
                if (c.get("scenario").isPresent()) {
                    throw new UsageException("--scenario is for the trainer; with --sim give a jobs file (--jobs)");
                }
                new SimControllerBenchmark(System.out, Clock.systemUTC()).run(c.getInt("rounds", 1, 1),
                        c.path("jobs"), c.overrides());
                return 0;
            }
            if (c.get("jobs").isPresent()) {
                throw new UsageException("--jobs needs --sim");
            }
            if (job.equals("pytorch")) {
                if (c.get("scenario").isPresent()) {
                    throw new UsageException("--scenario is for the trainer; --job pytorch slows rank w3 2x");
                }
                new ControllerBenchmark(System.out, Clock.systemUTC()).runPyTorch(c.getInt("rounds", 3, 1),
                        c.overrides());
                return 0;
            }
            Map<String, String> trainer = new HashMap<>();
            Map<String, String> daemon = new HashMap<>();
            c.overrides().forEach((k, v) -> (k.startsWith("trainer.") ? trainer : daemon).put(k, v));
            new ControllerBenchmark(System.out, Clock.systemUTC()).run(c.getInt("rounds", 3, 1), c.path("scenario"),
                    daemon, trainer);
            return 0;
        }
        if (args.get(0).equals("network")) {
            Options n = Options.parse(args.subList(1, args.size()), Set.of("cluster", "jobs", "seconds", "rounds"),
                    Set.of());
            ClusterSpec cluster = Clusters.load(n.get("cluster").orElse(NETWORK_CLUSTER));
            Path jobs = n.path("jobs").orElse(Path.of(NETWORK_JOBS));
            if (!Files.isRegularFile(jobs)) {
                throw new UsageException("--jobs " + jobs + " is not a file (the default is relative to the"
                        + " repository root)");
            }
            new NetworkLiveBenchmark(System.out, Clock.systemUTC()).run(cluster,
                    JobFile.parse(jobs.toString(), Files.readString(jobs), cluster),
                    Duration.ofSeconds(n.getInt("seconds", 60, 10)), n.getInt("rounds", 3, 1), n.overrides());
            return 0;
        }
        if (args.get(0).equals("json")) {
            Options j = Options.parse(args.subList(1, args.size()), Set.of("rounds", "ops"), Set.of());
            new JsonBenchmark(System.out).run(j.getInt("rounds", 5, 1), j.getInt("ops", 200_000, 1));
            return 0;
        }
        if (args.get(0).equals("faults")) {
            Options f = Options.parse(args.subList(1, args.size()), Set.of("records", "outage", "rate", "jobs"),
                    Set.of());
            new FaultsBenchmark(System.out, Clock.systemUTC()).run(f.getInt("records", 10_000, 1),
                    Duration.ofSeconds(f.getInt("outage", 60, 1)), f.getInt("rate", 1000, 10),
                    f.getInt("jobs", 12, 3));
            return 0;
        }
        if (args.get(0).equals("load")) {
            Options l = Options.parse(args.subList(1, args.size()), Set.of("gpus", "seconds", "heap"), Set.of());
            List<Integer> gpus = Arrays.stream(l.get("gpus").orElse("1024,2560,5120,10240").split(","))
                    .map(String::strip).map(Integer::parseInt).toList();
            new LoadBenchmark(System.out, Clock.systemUTC()).run(gpus, Duration.ofSeconds(l.getInt("seconds", 60, 5)),
                    l.get("heap").orElse("2g"));
            return 0;
        }
        if (args.get(0).equals("agent")) {
            Options a = Options.parse(args.subList(1, args.size()), Set.of("rounds", "seconds"), Set.of());
            new AgentFootprintBenchmark(System.out).run(a.getInt("rounds", 3, 1),
                    Duration.ofSeconds(a.getInt("seconds", 40, 1)));
            return 0;
        }
        Options o = Options.parse(args.subList(1, args.size()), Set.of("runs", "records"), Set.of());
        switch (args.get(0)) {
            case "ingest" -> new IngestBenchmark(System.out, o.getInt("runs", 3), o.getInt("records", 1_000_000)).run();
            default -> throw new UsageException("unknown benchmark '" + args.get(0) + "'");
        }
        return 0;
    }
}
