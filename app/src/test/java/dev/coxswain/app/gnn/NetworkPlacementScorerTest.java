package dev.coxswain.app.gnn;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.controller.observe.SyncState;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.controller.policy.StepModelScorer;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.core.telemetry.JobMembership.CommPattern;
import dev.coxswain.graphmodels.live.NetworkPredictor;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.NetworkCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The controller's scorer with the network model behind it: a move's step is the step model's compute side plus the
 * change in communication the network model predicts. The fair-share estimate stands in for the trained network so
 * that the figures are exact.
 */
class NetworkPlacementScorerTest {
    /** Two workers, one per node, over 10 Gb/s uplinks: each hop of the ring moves 100 MB, 80 ms at 1.25 GB/s. */
    private static ClusterSnapshot pair() {
        return new NetworkCluster(10).job("pair", CommPattern.RING_ALLREDUCE, 100_000_000,
                List.of(new NetworkCluster.Place("w0", "a", 0), new NetworkCluster.Place("w1", "b", 0)), 100, 80, 10)
                .snapshot(1, NetworkCluster.AT);
    }

    private static JobObservation observation() {
        Map<String, WorkerObservation> workers = Map.of(
                "w0", new WorkerObservation("w0", 64, 3200, 100, 100, 9, NetworkCluster.AT, Optional.of("a"),
                        OptionalDouble.empty()),
                "w1", new WorkerObservation("w1", 64, 3200, 100, 100, 9, NetworkCluster.AT, Optional.of("b"),
                        OptionalDouble.empty()));
        return new JobObservation("pair", NetworkCluster.AT, workers, 100, 9, NetworkCluster.AT, SyncState.UNKNOWN,
                List.of(), OptionalDouble.empty(), Optional.empty(), List.of());
    }

    private static NetworkPlacementScorer scorer(ClusterSnapshot snapshot, NetworkBoard board) {
        SnapshotHub hub = new SnapshotHub();
        hub.publish(snapshot);
        return new NetworkPlacementScorer(hub, NetworkPredictor.fairShare(), new Hub<>("board", board));
    }

    @Test
    void aMoveNextToItsPeerSavesTheUplinkTime() {
        NetworkPlacementScorer scorer = scorer(pair(), NetworkBoard.off());
        Slot nextToW0 = new Slot("a", OptionalInt.of(1), 1);
        double stepModel = new StepModelScorer().predictStepMs(observation(), "w1", nextToW0, Map.of());
        double change = scorer.communicationChangeSec(pair(), "pair", "w1", nextToW0);
        assertThat(change).as("80 ms over the uplinks, under 2 ms over NVLink").isCloseTo(-0.080, within(0.002));
        assertThat(scorer.predictStepMs(observation(), "w1", nextToW0, Map.of()))
                .isCloseTo(stepModel + 1000 * change, within(1e-9));
        assertThat(scorer.name()).isEqualTo("step-model+fair-share");
    }

    @Test
    void theChangeIsScaledByTheJobsRefit() {
        NetworkBoard board = new NetworkBoard(1, NetworkCluster.AT, "fair share", Map.of("pair",
                new NetworkBoard.JobNetwork("pair", 160, 160, 180, 2, 1, Optional.empty(), List.of())), Map.of());
        Slot nextToW0 = new Slot("a", OptionalInt.of(1), 1);
        assertThat(scorer(pair(), board).communicationChangeSec(pair(), "pair", "w1", nextToW0))
                .isCloseTo(-0.160, within(0.004));
    }

    @Test
    void whatTheModelCannotPlaceIsScoredByTheStepModelAlone() {
        NetworkPlacementScorer scorer = scorer(pair(), NetworkBoard.off());
        Slot spare = new Slot("spare-node", OptionalInt.empty(), 1);
        assertThat(scorer.communicationChangeSec(pair(), "pair", "w1", spare)).as("not in the graph").isZero();
        assertThat(scorer.predictStepMs(observation(), "w1", spare, Map.of()))
                .isEqualTo(new StepModelScorer().predictStepMs(observation(), "w1", spare, Map.of()));
        assertThat(scorer.communicationChangeSec(pair(), "other-job", "w1", new Slot("a", OptionalInt.of(1), 1)))
                .as("a job the snapshot does not hold").isZero();
    }
}
