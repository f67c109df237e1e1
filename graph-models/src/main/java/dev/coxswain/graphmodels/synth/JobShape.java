package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.window.WorkerLocation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The static shape of one synthetic job: its workers' placement on hosts, NICs and switches, the healthy step
 * components, noise and telemetry baselines, and which telemetry groups the job reports.
 */
final class JobShape {
    /** Groups of telemetry columns that a source reports or lacks together. */
    enum Group { BREAKDOWN, GPU, THROTTLE, CPU, BATCH, LINK, PLACEMENT }

    /** What an episode's cause is shared by. */
    enum Scope { WORKER, HOST, NIC, SWITCH }

    final int workers;
    final int[] host;
    final int[] nic;
    final int[] switchOf;
    final double computeMs;
    final double commMs;
    final double waitMs;
    final double[] heterogeneity;
    final double noise;
    final double clockMaxMhz;
    final int batch;
    final double[] hostCpuPct;
    final double[] switchLinkUtil;
    final Set<Group> present;

    JobShape(SynthConfig config, Random random) {
        this.workers = config.minWorkers() + random.nextInt(config.maxWorkers() - config.minWorkers() + 1);
        int gpusPerHost = random.nextBoolean() ? 4 : 8;
        int nicsPerHost = random.nextBoolean() ? 1 : 2;
        int hostsPerSwitch = 1 + random.nextInt(3);
        host = new int[workers];
        nic = new int[workers];
        switchOf = new int[workers];
        for (int i = 0; i < workers; i++) {
            host[i] = i / gpusPerHost;
            nic[i] = (i % gpusPerHost) * nicsPerHost / gpusPerHost;
            switchOf[i] = host[i] / hostsPerSwitch;
        }
        computeMs = 60 + random.nextDouble() * 240;
        commMs = computeMs * (0.1 + random.nextDouble() * 0.3);
        waitMs = computeMs * (0.02 + random.nextDouble() * 0.08);
        heterogeneity = new double[workers];
        for (int i = 0; i < workers; i++) {
            heterogeneity[i] = 1 + random.nextGaussian() * 0.01;
        }
        noise = 0.01 + random.nextDouble() * 0.04;
        clockMaxMhz = new double[]{1410, 1530, 1755, 1980}[random.nextInt(4)];
        batch = new int[]{16, 32, 64, 128}[random.nextInt(4)];
        hostCpuPct = busy(fill(host[workers - 1] + 1, 20, 30, random), 70, 25, random);
        switchLinkUtil = busy(fill(switchOf[workers - 1] + 1, 0.1, 0.4, random), 0.5, 0.4, random);
        present = EnumSet.noneOf(Group.class);
        for (Group g : Group.values()) {
            double drop = g == Group.PLACEMENT ? config.telemetryDropout() / 2 : config.telemetryDropout();
            if (random.nextDouble() >= drop && !(g == Group.BREAKDOWN && config.telemetryOnly())) {
                present.add(g);
            }
        }
    }

    private static double[] fill(int n, double base, double spread, Random random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = base + random.nextDouble() * spread;
        }
        return v;
    }

    /** Confounders: a fifth of the hosts (switches) are busy without slowing anyone (other tenants, prefetch). */
    private static double[] busy(double[] v, double base, double spread, Random random) {
        for (int i = 0; i < v.length; i++) {
            if (random.nextDouble() < 0.2) {
                v[i] = base + random.nextDouble() * spread;
            }
        }
        return v;
    }

    double healthyStepMs() {
        return computeMs + commMs + waitMs;
    }

    WorkerLocation placement(int worker) {
        if (!present.contains(Group.PLACEMENT)) {
            return WorkerLocation.unknown();
        }
        return WorkerLocation.of("h" + host[worker], "nic" + nic[worker], "s" + switchOf[worker]);
    }

    /** The workers that share the given part of the graph with {@code worker}, itself included. */
    List<Integer> sharing(int worker, Scope scope) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            boolean same = switch (scope) {
                case WORKER -> i == worker;
                case HOST -> host[i] == host[worker];
                case NIC -> host[i] == host[worker] && nic[i] == nic[worker];
                case SWITCH -> switchOf[i] == switchOf[worker];
            };
            if (same) {
                out.add(i);
            }
        }
        return out;
    }
}
