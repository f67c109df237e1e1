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
 * The graph network as a learned correction over the calibrated step-time model ({@link #fit}), fitted on the same
 * measured rows: for each row the network predicts the step time of the row's placement on the calibrated cluster,
 * with the calibrated model's compute time; the correction is a ridge regression of the calibrated model's log error
 * on the log ratio of the two predictions, its penalty chosen by leave-one-out on the measured rows alone, so that it
 * falls back to no correction where the network adds nothing. {@code coxswain whatif predict --engine gnn} answers
 * with it; {@link #run} scores it on the Pollux artifact's placement traces (measured on AWS g4dn.12xlarge), fitted
 * on split (a) of {@code coxswain whatif eval} (a seeded random 20%) and scored on the rest.
 */
public final class NetworkCorrection {
    /** The ridge penalty so large that the correction is nothing: the last tried. */
    public static final double NO_CORRECTION = 1e9;
    /** Ridge penalties tried. */
    private static final double[] PENALTIES = {0.01, 0.1, 1, 10, 100, NO_CORRECTION};

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

    private NetworkCorrection() {
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
        Split split = Split.random(rows, 0.2, seed);
        Fitted fitted = fit(network, manager, ClusterPresets.get("g4dn-12xlarge"), w, split.measured());
        List<Prediction> corrected = fitted.predict(network, manager,
                split.query().stream().map(m -> new Query(m.placement(), m.localBatch())).toList());
        double gnn = 0;
        double cal = 0;
        for (int i = 0; i < corrected.size(); i++) {
            double truth = split.query().get(i).stepTimeSec();
            gnn += Math.abs(corrected.get(i).stepTimeSec() - truth) / truth;
            cal += Math.abs(fitted.calibrated().predict(corrected.get(i).query()).stepTimeSec() - truth) / truth;
        }
        return new Trace(w.name(), split.measured().size(), corrected.size(), 100 * gnn / corrected.size(),
                100 * cal / corrected.size(), fitted.penalty());
    }

    /**
     * The calibrated model fitted on measured rows, and the network's correction fitted on the same rows.
     *
     * @param cluster the preset with the link speeds the calibrated model fitted: where the network places the job
     * @param beta    the correction: {@code step = calibrated * exp(beta0 + beta1 * log(network / calibrated))}
     */
    public record Fitted(PolluxWorkload workload, CoxswainModel.FittedCoxswain calibrated, ClusterSpec cluster,
                         double[] beta, double penalty) {
        /**
         * Each query's step time: the calibrated prediction, its interval and its synchronisation time scaled by
         * the correction.
         */
        public List<Prediction> predict(RouteNet network, NDManager manager, List<Query> queries) {
            double[][] x = features(network, manager, cluster, workload, calibrated, queries);
            List<Prediction> out = new ArrayList<>(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                Prediction p = calibrated.predict(queries.get(i));
                double f = Math.exp(beta[0] + beta[1] * x[i][0]);
                out.add(new Prediction(p.query(), p.stepTimeSec() * f, p.syncTimeSec() * f, p.stepTimeLoSec() * f,
                        p.stepTimeHiSec() * f));
            }
            return out;
        }
    }

    /**
     * Fits the calibrated model on {@code measured} ({@code preset}'s link speeds as its prior), then the network's
     * correction on the same rows, its ridge penalty chosen by leave-one-out on them.
     */
    public static Fitted fit(RouteNet network, NDManager manager, ClusterSpec preset, PolluxWorkload w,
                             List<Measurement> measured) {
        CoxswainModel.FittedCoxswain calibrated = new CoxswainModel(LinkPrior.of(preset), w.gradientBytes(),
                w.bucketBytes(), CoxswainModel.Options.defaults()).fit(measured);
        ClusterSpec cluster = ScenarioRunner.calibratedCluster(preset, calibrated);
        double[][] x = features(network, manager, cluster, w, calibrated,
                measured.stream().map(m -> new Query(m.placement(), m.localBatch())).toList());
        double[][] rows = new double[measured.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[]{x[i][0], x[i][1], measured.get(i).stepTimeSec()};
        }
        double penalty = choosePenalty(rows);
        return new Fitted(w, calibrated, cluster, ridge(rows, penalty, -1), penalty);
    }

    /** Per query: {log(network's step / calibrated step), calibrated step}; 0 for a job of one GPU. */
    private static double[][] features(RouteNet network, NDManager manager, ClusterSpec cluster, PolluxWorkload w,
                                       CoxswainModel.FittedCoxswain fitted, List<Query> queries) {
        List<SimulatedNetwork> nets = new ArrayList<>();
        List<Prediction> calibrated = new ArrayList<>();
        int gpusPerNode = cluster.groups().getFirst().gpusPerNode();
        for (Query q : queries) {
            Prediction p = fitted.predict(q);
            calibrated.add(p);
            List<Integer> gpus = new ArrayList<>();
            for (int node = 0; node < q.placement().nodes(); node++) {
                for (int g = 0; g < q.placement().gpusOn(node); g++) {
                    gpus.add(node * gpusPerNode + g);
                }
            }
            double computeSec = Math.max(1e-6, p.stepTimeSec() - p.syncTimeSec());
            ModelProfile model = new ModelProfile(w.name(), List.of(new ModelProfile.ComputeCost(
                    cluster.groups().getFirst().gpu().name(), computeSec, 0, cluster.groups().getFirst().gpu()
                    .tflops())), w.gradientBytes(), w.bucketBytes(), 1.0 / 3, 0.02);
            nets.add(gpus.size() < 2 ? null : new SimulatedNetwork(cluster, List.of(new JobSpec(w.name(), model,
                    new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus, Collections.nCopies(gpus.size(),
                    q.localBatch()), 1, GraphNetworkCases.STEPS, List.of(), 0))));
        }
        List<SimulatedNetwork> communicating = nets.stream().filter(n -> n != null).toList();
        List<SimulatedNetwork.Prediction> predicted = GraphNetworkWorkflow.predict(network, manager, communicating);
        double[][] out = new double[queries.size()][];
        int k = 0;
        for (int i = 0; i < queries.size(); i++) {
            double cal = calibrated.get(i).stepTimeSec();
            double ratio = nets.get(i) == null ? 0 : Math.log(predicted.get(k++).stepSec()[0] / cal);
            out[i] = new double[]{ratio, cal};
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
