package dev.coxswain.app.gnn;

import dev.coxswain.graphmodels.eval.CauseEvaluation;
import dev.coxswain.graphmodels.model.Provenance;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code coxswain models eval --gnn} measured, and how it prints it: the figures, the baselines beside them,
 * and one RESULT line with the keys. Figures this build does not measure yet print as {@code na}.
 *
 * @param minNodes the smallest held-out cluster, in nodes
 * @param maxNodes the largest
 * @param trainedMaxNodes the largest cluster the model trained on
 */
public record GraphNetworkReport(Provenance provenance, int trainedMaxNodes, int minNodes, int maxNodes,
                                 double dataSec, GraphNetworkWorkflow.Accuracy accuracy,
                                 PlacementBenchmark.Result placement, double plan1024Sec,
                                 List<NetworkCorrection.Trace> pollux) {

    /**
     * @param causes the straggler model's causes on held-out jobs that report no step split, when there is a
     *               straggler model to ask
     */
    public void print(Path model, Optional<CauseEvaluation.Result> causes, PrintStream out) {
        GraphNetworkWorkflow.Accuracy a = accuracy;
        out.printf(Locale.ROOT, "model: %s (trained %s on %d cases of up to %d nodes, code %s, data %s)%n", model,
                provenance.trainedAt(), provenance.trainingRows(), trainedMaxNodes, provenance.codeVersion(),
                provenance.dataHash().substring(0, 16));
        out.printf(Locale.ROOT, "held out: %d SYNTHETIC clusters of %d-%d nodes (%.0f-%.0fx the largest trained on),"
                        + " %d jobs, %d links carrying flows; simulated in %.1f s%n", a.cases(), minNodes, maxNodes,
                (double) minNodes / trainedMaxNodes, (double) maxNodes / trainedMaxNodes, a.jobs(), a.links(), dataSec);
        out.printf(Locale.ROOT, "job communication time per step: MAPE %.2f%% (idle-network estimate %.2f%%)%n",
                a.commMape(), a.idleCommMape());
        out.printf(Locale.ROOT, "job step time:                   MAPE %.2f%% (idle-network estimate %.2f%%)%n",
                a.stepMape(), a.idleStepMape());
        out.printf(Locale.ROOT, "link utilisation:                MAE %.4f (offered load %.4f)%n", a.linkUtilMae(),
                a.offeredUtilMae());
        out.printf(Locale.ROOT, "bottleneck link top-1:           %.3f (the same rule fed the simulator's own step"
                + " times: %.3f)%n", a.bottleneckTop1(), a.ruleTop1());
        PlacementBenchmark.Result p = placement;
        out.printf(Locale.ROOT, "placement (%d held-out contended clusters: oversubscribed leaves under a spine; the"
                + " largest job that fits twice into the free GPUs placed again, %d candidates):%n",
                p.cases(), p.candidates());
        out.printf(Locale.ROOT, "  network's choice, simulated, costs %.2f%% more than the best candidate simulated%n",
                p.placementGap());
        for (int h = 0; h < PlacementSearch.HEURISTICS.size(); h++) {
            out.printf(Locale.ROOT, "  new job's simulated step time %.1f%% lower than %s's%n",
                    p.gainByHeuristic()[h], PlacementSearch.HEURISTICS.get(h));
        }
        out.printf(Locale.ROOT, "  on average %.1f%% lower than the heuristics' (standard error %.1f points over the"
                + " cases)%n", p.heuristicGain(), p.heuristicGainSe());
        out.printf(Locale.ROOT, "  (the candidate of least simulated cost, the network's objective scored by the"
                + " simulator, would be %.1f%% lower;%n", p.simulatedChoiceGain());
        out.printf(Locale.ROOT, "   the candidate best for the new job alone %.1f%%: the most any choice among these"
                + " candidates gains)%n", p.ceilingGain());
        out.printf(Locale.ROOT, "  candidates scored a second, one thread: network %.1f (batched), simulator %.1f"
                + " (one by one): %.1fx%n", p.gnnPerSec(), p.simPerSec(), p.speedup());
        out.printf(Locale.ROOT, "plan for a 1,024-GPU cluster running 50 jobs: %.2f s%n", plan1024Sec);
        out.println("Pollux placement traces (real, g4dn.12xlarge), split (a): 20% measured, the rest queried;"
                + " step-time MAPE:");
        for (NetworkCorrection.Trace t : pollux) {
            out.printf(Locale.ROOT, "  %-9s %3d measured %4d queried: calibrated %.2f%%, with the network's"
                            + " correction %.2f%% (ridge penalty %.3g by leave-one-out)%n", t.workload(), t.measured(),
                    t.queried(), t.calibratedMape(), t.gnnMape(), t.penalty());
        }
        double[] overall = NetworkCorrection.overall(pollux);
        causes.ifPresentOrElse(c -> out.printf(Locale.ROOT, "straggler causes from telemetry and the neighbourhood"
                        + " alone (SYNTHETIC held-out jobs without the step split; the cause model's graph features:"
                        + " peers on the host, NIC and switch, link loads): %.3f of %d episodes, %.3f of %d samples%n",
                c.episodeAccuracy(), c.episodes(), c.accuracy(), c.attributed()),
                () -> out.println("cause_telemetry_only_acc: no straggler model ('coxswain models train' writes"
                        + " one)"));
        out.printf(Locale.ROOT, "RESULT comm_mape=%.2f step_mape=%.2f bottleneck_top1=%.3f link_util_mae=%.4f"
                        + " speedup_vs_sim=%.1f placement_gap=%.2f heuristic_gain=%.1f plan_1024_s=%.2f"
                        + " pollux_mape=%.2f calibrated_mape=%.2f cause_telemetry_only_acc=%s%n", a.commMape(),
                a.stepMape(), a.bottleneckTop1(), a.linkUtilMae(), p.speedup(), p.placementGap(), p.heuristicGain(),
                plan1024Sec, overall[0], overall[1],
                causes.map(c -> String.format(Locale.ROOT, "%.3f", c.episodeAccuracy())).orElse("na"));
    }
}
