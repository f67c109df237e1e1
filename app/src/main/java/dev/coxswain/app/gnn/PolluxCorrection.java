package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.whatif.calibrate.CoxswainModel;
import dev.coxswain.whatif.calibrate.LinkPrior;
import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.calibrate.Prediction;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.eval.PolluxWorkload;
import dev.coxswain.whatif.eval.Split;
import dev.coxswain.whatif.scenario.ScenarioRunner;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The graph network as a learned correction over the calibrated step-time model, on the Pollux artifact's
 * placement traces (measured on AWS g4dn.12xlarge): fitted on the same measured rows as the calibrated model (split
 * (a) of {@code coxswain whatif eval}, a seeded random 20%), scored on the rest. For each row the network predicts
 * the step time of the row's placement on the calibrated cluster, with the calibrated model's compute time; the
 * correction is a ridge regression of the calibrated model's log error on the log ratio of the two predictions,
 * its penalty chosen by leave-one-out on the measured rows alone, so that it falls back to no correction where the
 * network adds nothing.
 */
public final class PolluxCorrection {
    /** Ridge penalties tried, the last so large that the correction is nothing. */
    private static final double[] PENALTIES = {0.01, 0.1, 1, 10, 100, 1e9};

    /**
     * One trace's figures.
     *
     * @param gnnMape        step-time MAPE of the corrected model on the query rows, in percent
     * @param calibratedMape the calibrated model's, same rows, in percent
     * @param penalty        the ridge penalty leave-one-out chose
     */
    public record Trace(String workload, int measured, int queried, double gnnMape, double calibratedMape,
                       double penalty) {
    }

    private PolluxCorrection() {
    }

    /** Every workload's figures, from the traces under {@code dataDir}. */
    public static List<Trace> run(RouteNet network, NDManager manager, Path dataDir, long seed) {
        List<Trace> out = new ArrayList<>();
        for (PolluxWorkload w : PolluxWorkload.all()) {
            Path file = dataDir.resolve(w.name()).resolve("placements.csv");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no trace " + file + " (point --data at the shared data folder,"
                        + " which holds pollux-placements/)");
            }
            out.add(trace(network, manager, w, MeasurementCsv.readMeasured(file), seed));
        }
        return out;
    }

    /** The mean over traces, weighted by their query rows: {gnn, calibrated}. */
    public static double[] overall(List<Trace> traces) {
        double gnn = 0;
        double cal = 0;
        int rows = 0;
        for (Trace t : traces) {
            gnn += t.gnnMape() * t.queried();
            cal += t.calibratedMape() * t.queried();
            rows += t.queried();
        }
        return new double[]{gnn / rows, cal / rows};
    }

    static Trace trace(RouteNet network, NDManager manager, PolluxWorkload w, List<Measurement> rows, long seed) {
        ClusterSpec preset = ClusterPresets.get("g4dn-12xlarge");
        Split split = Split.random(rows, 0.2, seed);
        CoxswainModel.FittedCoxswain fitted = new CoxswainModel(LinkPrior.of(preset), w.gradientBytes(),
                w.bucketBytes(), CoxswainModel.Options.defaults()).fit(split.measured());
        ClusterSpec cluster = ScenarioRunner.calibratedCluster(preset, fitted);
        double[][] measured = features(network, manager, cluster, w, fitted, split.measured());
        double[][] query = features(network, manager, cluster, w, fitted, split.query());
        double penalty = choosePenalty(measured);
        double[] beta = ridge(measured, penalty, -1);
        double gnn = 0;
        double cal = 0;
        for (double[] q : query) {
            double corrected = q[1] * Math.exp(beta[0] + beta[1] * q[0]);
            gnn += Math.abs(corrected - q[2]) / q[2];
            cal += Math.abs(q[1] - q[2]) / q[2];
        }
        return new Trace(w.name(), split.measured().size(), query.length, 100 * gnn / query.length,
                100 * cal / query.length, penalty);
    }

    /** Per row: {log(network's step / calibrated step), calibrated step, measured step}. */
    private static double[][] features(RouteNet network, NDManager manager, ClusterSpec cluster, PolluxWorkload w,
                                       CoxswainModel.FittedCoxswain fitted, List<Measurement> rows) {
        List<SimulatedNetwork> nets = new ArrayList<>();
        List<Prediction> calibrated = new ArrayList<>();
        int gpusPerNode = cluster.groups().getFirst().gpusPerNode();
        for (Measurement m : rows) {
            Prediction p = fitted.predict(new Query(m.placement(), m.localBatch()));
            calibrated.add(p);
            List<Integer> gpus = new ArrayList<>();
            for (int node = 0; node < m.placement().nodes(); node++) {
                for (int g = 0; g < m.placement().gpusOn(node); g++) {
                    gpus.add(node * gpusPerNode + g);
                }
            }
            double computeSec = Math.max(1e-6, p.stepTimeSec() - p.syncTimeSec());
            ModelProfile model = new ModelProfile(w.name(), List.of(new ModelProfile.ComputeCost(
                    cluster.groups().getFirst().gpu().name(), computeSec, 0, cluster.groups().getFirst().gpu()
                    .tflops())), w.gradientBytes(), w.bucketBytes(), 1.0 / 3, 0.02);
            nets.add(gpus.size() < 2 ? null : new SimulatedNetwork(cluster, List.of(new JobSpec(w.name(), model,
                    new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus, Collections.nCopies(gpus.size(),
                    m.localBatch()), 1, GraphNetworkCases.STEPS, List.of(), 0))));
        }
        List<SimulatedNetwork> communicating = nets.stream().filter(n -> n != null).toList();
        List<SimulatedNetwork.Prediction> predicted = GraphNetworkWorkflow.predict(network, manager, communicating);
        double[][] out = new double[rows.size()][];
        int k = 0;
        for (int i = 0; i < rows.size(); i++) {
            double cal = calibrated.get(i).stepTimeSec();
            double ratio = nets.get(i) == null ? 0 : Math.log(predicted.get(k++).stepSec()[0] / cal);
            out[i] = new double[]{ratio, cal, rows.get(i).stepTimeSec()};
        }
        return out;
    }

    /** The penalty of least leave-one-out error on the measured rows. */
    private static double choosePenalty(double[][] rows) {
        double best = PENALTIES[PENALTIES.length - 1];
        double bestError = Double.POSITIVE_INFINITY;
        for (double penalty : PENALTIES) {
            double error = 0;
            for (int out = 0; out < rows.length; out++) {
                double[] beta = ridge(rows, penalty, out);
                double[] r = rows[out];
                error += Math.abs(r[1] * Math.exp(beta[0] + beta[1] * r[0]) - r[2]) / r[2];
            }
            if (error < bestError - 1e-12) {
                best = penalty;
                bestError = error;
            }
        }
        return best;
    }

    /**
     * Ridge regression of {@code log(measured / calibrated)} on {1, feature} over the rows but {@code leaveOut}
     * (-1: none), both coefficients penalised.
     */
    private static double[] ridge(double[][] rows, double penalty, int leaveOut) {
        double s00 = penalty;
        double s01 = 0;
        double s11 = penalty;
        double t0 = 0;
        double t1 = 0;
        for (int i = 0; i < rows.length; i++) {
            if (i == leaveOut) {
                continue;
            }
            double x = rows[i][0];
            double y = Math.log(rows[i][2] / rows[i][1]);
            s00 += 1;
            s01 += x;
            s11 += x * x;
            t0 += y;
            t1 += x * y;
        }
        double det = s00 * s11 - s01 * s01;
        return new double[]{(s11 * t0 - s01 * t1) / det, (s00 * t1 - s01 * t0) / det};
    }
}
