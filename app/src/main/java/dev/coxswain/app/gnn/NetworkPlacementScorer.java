package dev.coxswain.app.gnn;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.controller.policy.PlacementScorer;
import dev.coxswain.controller.policy.StepModelScorer;
import dev.coxswain.core.hub.Source;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.graphmodels.gnn.SnapshotNetwork;
import dev.coxswain.graphmodels.live.NetworkPredictor;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import dev.coxswain.snapshot.Vertex;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's placement scorer with the network model behind it (issue 13): a move's step time is the step
 * model's answer for the compute side ({@link StepModelScorer}: the moved worker at its peers' speed times the
 * slot's), plus the change the network model predicts in the job's communication time when the worker's transfers
 * leave from the slot instead: a move onto a congested uplink costs what the model says it costs, and one off it
 * gains it. The change is scaled by the job's refit on the network board (what the job showed against what the model
 * predicted). A slot the cluster graph does not hold (a spare node without telemetry yet), or a job the model cannot
 * read, is scored by the step model alone.
 */
public final class NetworkPlacementScorer implements PlacementScorer {
    private final StepModelScorer stepModel = new StepModelScorer();
    private final SnapshotSource snapshots;
    private final NetworkPredictor predictor;
    private final Source<NetworkBoard> board;
    /** The snapshot's jobs as they run and their predicted exchange times: the same for every slot scored on it. */
    private volatile Base base;

    private record Base(ClusterSnapshot snapshot, SnapshotNetwork network, double[] exchangeSec) {
    }

    public NetworkPlacementScorer(SnapshotSource snapshots, NetworkPredictor predictor, Source<NetworkBoard> board) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public String name() {
        return "step-model+" + (predictor.learned() ? "graph-network" : "fair-share");
    }

    @Override
    public double predictStepMs(JobObservation job, String worker, Slot slot, Map<String, Integer> batches) {
        double compute = stepModel.predictStepMs(job, worker, slot, batches);
        return compute + 1000 * communicationChangeSec(snapshots.latest(), job.job(), worker, slot);
    }

    /** How much longer the job's exchange takes with {@code worker} at {@code slot}; 0 when the model cannot say. */
    double communicationChangeSec(ClusterSnapshot snapshot, String job, String worker, Slot slot) {
        Optional<Vertex> to = place(snapshot, slot);
        if (to.isEmpty()) {
            return 0;
        }
        SnapshotNetwork moved;
        try {
            moved = SnapshotNetwork.withMove(snapshot, new SnapshotNetwork.Move(job, worker, to.get()));
        } catch (IllegalArgumentException e) {
            return 0;
        }
        Base now = base(snapshot);
        int before = now.network().indexOf(job);
        int after = moved.indexOf(job);
        if (before < 0 || after < 0) {
            return 0;
        }
        double movedSec = predictor.exchangeSec(List.of(moved.graph())).getFirst()[after];
        double correction = Optional.ofNullable(board.latest().jobs().get(job))
                .map(NetworkBoard.JobNetwork::correction).orElse(1.0);
        return (movedSec - now.exchangeSec()[before]) * correction;
    }

    private Base base(ClusterSnapshot snapshot) {
        Base b = base;
        if (b == null || b.snapshot() != snapshot) {
            SnapshotNetwork network = SnapshotNetwork.of(snapshot);
            b = new Base(snapshot, network, network.isEmpty() ? new double[0]
                    : predictor.exchangeSec(List.of(network.graph())).getFirst());
            base = b;
        }
        return b;
    }

    /** The slot's GPU when the graph has it, else its node's host when the graph has that. */
    private static Optional<Vertex> place(ClusterSnapshot snapshot, Slot slot) {
        if (slot.gpu().isPresent()) {
            Vertex gpu = new Vertex.Gpu(slot.node(), slot.gpu().getAsInt());
            if (snapshot.graph().containsVertex(gpu)) {
                return Optional.of(gpu);
            }
        }
        Vertex host = new Vertex.Host(slot.node());
        return snapshot.graph().containsVertex(host) ? Optional.of(host) : Optional.empty();
    }
}
