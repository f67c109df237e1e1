package dev.coxswain.graphmodels.live;

import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.core.telemetry.JobMembership.CommPattern;
import dev.coxswain.graphmodels.gnn.SnapshotNetwork;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.NetworkCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network model beside a collector: its board, the refit to what jobs show, the pace it scores at and its
 * fallback when there is no usable model. The fair-share estimate stands in for the graph network where the test is
 * about the stage, not the network; the golden model file runs the real one.
 */
class LiveNetworkTest {
    private static final List<NetworkCluster.Place> RING = List.of(new NetworkCluster.Place("w0", "a", 0),
            new NetworkCluster.Place("w1", "a", 1), new NetworkCluster.Place("w2", "b", 0),
            new NetworkCluster.Place("w3", "b", 1));

    @TempDir
    Path dir;

    /** A 4-worker ring over two nodes joined by 10 Gb/s uplinks: 150 MB a hop, 120 ms alone; 10 ms of compute. */
    private static ClusterSnapshot congested(double commMs, long generation, Duration after) {
        return new NetworkCluster(10).job("ring", CommPattern.RING_ALLREDUCE, 100_000_000, RING, 10 + commMs,
                commMs, 20).snapshot(generation, NetworkCluster.AT.plus(after));
    }

    private static LiveNetwork stage(NetworkPredictor predictor, Hub<NetworkBoard> hub, Duration interval) {
        return new LiveNetwork(new LiveNetworkSettings(true, Path.of("unused"), interval), predictor, new SnapshotHub(),
                hub, new SimpleMeterRegistry());
    }

    @Test
    void theBoardNamesEachJobsBottleneckAndWhatWouldHelp() {
        NetworkPredictor fairShare = NetworkPredictor.fairShare();
        LiveNetwork live = stage(fairShare, new Hub<>("board", LiveNetwork.initialBoard(fairShare)), Duration.ZERO);
        NetworkBoard board = live.score(congested(120, 1, Duration.ZERO));
        NetworkBoard.JobNetwork job = board.jobs().get("ring");
        assertEquals(120, job.commMs(), 1, "150 MB at 1.25 GB/s");
        assertEquals(130, job.stepMs(), 1, "the measured rest of the step plus the predicted communication");
        NetworkBoard.Bottleneck b = job.bottleneck().orElseThrow();
        assertEquals("NETWORK", b.type(), "the uplinks bound the ring, not NVLink or PCIe");
        assertTrue(b.utilization() > 0.9, "150 MB each 130 ms of 1.25 GB/s: " + b.utilization());
        assertEquals(b.utilization(), board.links().get(b.linkId()), 1e-9);
        NetworkBoard.Help help = job.help().getFirst();
        // The ring's four uplink directions carry the same: widening one alone would gain nothing.
        assertEquals("twice the capacity of " + b.from() + " -> " + b.to() + " and of the 3 links that tie with it",
                help.change());
        assertTrue(help.stepMs() < job.stepMs(), help + " against " + job.stepMs());
        assertEquals(fairShare.model(), board.model());
    }

    @Test
    void predictionsAreRefittedToWhatTheJobShows() {
        NetworkPredictor fairShare = NetworkPredictor.fairShare();
        LiveNetwork live = stage(fairShare, new Hub<>("board", LiveNetwork.initialBoard(fairShare)), Duration.ZERO);
        // The job communicates twice as long as the network alone explains (a slow software stack, say).
        NetworkBoard.JobNetwork first = live.score(congested(240, 1, Duration.ZERO)).jobs().get("ring");
        assertEquals(1, first.correction());
        assertTrue(Double.isNaN(first.recentErrorPct()), "no error before there is a refit to judge");
        NetworkBoard.JobNetwork job = first;
        for (int i = 2; i <= 2 * LiveNetwork.MIN_REFIT; i++) {
            job = live.score(congested(240, i, Duration.ofSeconds(i))).jobs().get("ring");
        }
        assertEquals(2, job.correction(), 0.02);
        assertEquals(240, job.commMs(), 3);
        assertEquals(240, job.measuredCommMs(), 1e-9);
        assertEquals(0, job.recentErrorPct(), 1, "each refitted prediction within a percent of its measurement");
    }

    @Test
    void aJobLeavesItsRefitBehindAndTheStageScoresAtItsPace() {
        NetworkPredictor fairShare = NetworkPredictor.fairShare();
        Hub<NetworkBoard> hub = new Hub<>("board", LiveNetwork.initialBoard(fairShare));
        LiveNetwork live = stage(fairShare, hub, Duration.ofSeconds(2));
        live.process(congested(240, 1, Duration.ZERO));
        live.process(congested(240, 2, Duration.ofSeconds(1)));
        assertEquals(1, hub.latest().generation(), "the second came within the interval");
        live.process(congested(240, 3, Duration.ofSeconds(2)));
        assertEquals(2, hub.latest().generation());
        ClusterSnapshot empty = new NetworkCluster(10).jobWithoutMembership("new").snapshot(4, NetworkCluster.AT
                .plusSeconds(4));
        live.process(empty);
        assertEquals(3, hub.latest().generation());
        assertTrue(hub.latest().jobs().isEmpty(), "nothing readable: an empty board, still published");
    }

    @Test
    void withoutAUsableModelTheFairShareEstimateAnswers() throws IOException {
        NetworkPredictor missing = NetworkPredictor.load(dir.resolve("none.model"), dir.resolve("djl"));
        assertFalse(missing.learned());
        Path corrupt = Files.write(dir.resolve("corrupt.model"), "not a model".getBytes());
        NetworkPredictor damaged = NetworkPredictor.load(corrupt, dir.resolve("djl"));
        assertFalse(damaged.learned());
        assertEquals(NetworkPredictor.fairShare().model(), damaged.model());
    }

    @Test
    void theTrainedNetworkScoresASnapshot() throws URISyntaxException {
        Path golden = Path.of(getClass().getResource("/dev/coxswain/graphmodels/model/golden-gnn-v2.model").toURI());
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        try (NetworkPredictor network = NetworkPredictor.load(golden, home.resolve("djl"))) {
            assertTrue(network.learned(), network.model());
            SnapshotNetwork net = SnapshotNetwork.of(congested(120, 1, Duration.ZERO));
            double[] sec = network.exchangeSec(List.of(net.graph(), net.graph())).getFirst();
            double alone = net.graph().jobAloneSec()[0];
            double shared = net.graph().jobSharedSec()[0];
            assertTrue(sec[0] >= alone * 0.999 && sec[0] <= shared * 1.5 + 1e-9,
                    "between the job's time alone and 1.5x its fair share: " + sec[0]);
        }
    }
}
