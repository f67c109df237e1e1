package dev.coxswain.graphmodels.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.FlowGraph;
import dev.coxswain.graphmodels.gnn.FlowGraphBuilder;
import dev.coxswain.graphmodels.gnn.LinkType;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.gnn.TorchEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The graph network's model file: the checked layout the straggler models share, pinned by a golden file (its
 * provenance and its predictions on a probe graph), and every way a file can be wrong refused with the reason.
 */
class GraphModelFileTest {
    private static final int MAGIC_LENGTH = "COXSWAIN-GNN-MODEL".length();
    private static final String GOLDEN_DATA_HASH = "ab".repeat(32);
    private static final Instant TRAINED_AT = Instant.parse("2026-12-06T12:00:00Z");
    /** The golden network's exchange time for each job of {@link #probe()}, as recorded when it was written. */
    private static final float[] GOLDEN_EXCHANGE = {0.60520035f, 1.0229516f};
    /** Its spread points for each job of the probe, job after job, as recorded. */
    private static final float[] GOLDEN_SPREAD = {1.6705483f, 1.3697097f, 0.62858415f, 0.3311579f, 1.684319f,
            1.3746316f, 0.6195071f, 0.32154238f};

    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        manager = TorchEngine.manager(home.resolve("djl"));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Two jobs over three links. */
    static FlowGraph probe() {
        FlowGraphBuilder b = new FlowGraphBuilder();
        b.link(LinkType.NIC, 10e9);
        b.link(LinkType.SWITCH, 5e9);
        b.link(LinkType.DEVICE, 100e9);
        int a = b.job(1.0);
        int c = b.job(0.5);
        b.flow(a, new int[]{0, 1, 2}, 1e9, Double.POSITIVE_INFINITY, 0.001);
        b.flow(c, new int[]{1, 1}, 2e9, Double.POSITIVE_INFINITY, 0);
        return b.build();
    }

    /** A small untrained network with seeded weights and a pinned provenance: what the golden file holds. */
    static GraphModelFile.Trained tiny(NDManager m) {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        RouteNet net = new RouteNet(m, new RouteNet.Dimensions(FlowGraphBuilder.LINK_WIDTH,
                FlowGraphBuilder.FLOW_WIDTH, 4, 2), 0.001f);
        return new GraphModelFile.Trained(net, new Provenance(FlowGraphBuilder.SCHEMA, GOLDEN_DATA_HASH,
                "test graphs", 5, Map.of("maxNodes", "4", "hidden", "4", "rounds", "2", "learningRate", "0.001"),
                "test", TRAINED_AT, 2));
    }

    private static float[] exchange(RouteNet net) {
        return net.predict(List.of(probe()), manager).getFirst().exchangeSec();
    }

    private static float[] spread(RouteNet net) {
        return net.predict(List.of(probe()), manager).getFirst().spread();
    }

    private static Path golden() throws URISyntaxException {
        return Path.of(GraphModelFileTest.class.getResource("golden-gnn-v2.model").toURI());
    }

    @Test
    void goldenModelLoadsWithItsProvenanceAndPredictsAsRecorded() throws Exception {
        try (NDManager m = manager.newSubManager()) {
            GraphModelFile.Trained t = GraphModelFile.load(golden(), m);
            Provenance p = t.provenance();
            assertThat(p.featureSchema()).isEqualTo(FlowGraphBuilder.SCHEMA);
            assertThat(p.dataHash()).isEqualTo(GOLDEN_DATA_HASH);
            assertThat(p.seed()).isEqualTo(5);
            assertThat(p.codeVersion()).isEqualTo("test");
            assertThat(p.trainedAt()).isEqualTo(TRAINED_AT);
            assertThat(p.hyperParameters()).containsEntry("maxNodes", "4").containsEntry("hidden", "4");
            assertThat(t.network().dimensions()).isEqualTo(new RouteNet.Dimensions(FlowGraphBuilder.LINK_WIDTH,
                    FlowGraphBuilder.FLOW_WIDTH, 4, 2));
            assertThat(exchange(t.network())).containsExactly(GOLDEN_EXCHANGE, within(1e-6f));
            assertThat(spread(t.network())).containsExactly(GOLDEN_SPREAD, within(1e-6f));
        }
    }

    @Test
    void savedNetworksLoadWithTheSameProvenanceAndPredictions() throws Exception {
        try (NDManager m = manager.newSubManager()) {
            GraphModelFile.Trained t = tiny(m);
            Path file = dir.resolve("sub").resolve("net.model");
            GraphModelFile.save(t, file);
            GraphModelFile.Trained back = GraphModelFile.load(file, m);
            assertThat(back.provenance()).isEqualTo(t.provenance());
            assertThat(exchange(back.network())).containsExactly(exchange(t.network()), within(0f));
        }
    }

    @Test
    void refusesAnotherFormatVersionOrSchemaAndSaysWhichItReads() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        ByteBuffer.wrap(bytes).putInt(MAGIC_LENGTH, 1);
        Path v1 = Files.write(dir.resolve("v1.model"), bytes);
        assertThatThrownBy(() -> GraphModelFile.load(v1, manager)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 1").hasMessageContaining("reads version 2")
                .hasMessageContaining("coxswain models train --gnn");
        bytes = Files.readAllBytes(golden());
        ByteBuffer.wrap(bytes).putInt(MAGIC_LENGTH + 4, 99);
        Path schema = Files.write(dir.resolve("schema.model"), bytes);
        assertThatThrownBy(() -> GraphModelFile.load(schema, manager)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("graph feature schema 99");
    }

    @Test
    void refusesADamagedTruncatedOrForeignFile() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        bytes[bytes.length / 2] ^= 0x5a;
        Path damaged = Files.write(dir.resolve("damaged.model"), bytes);
        assertThatThrownBy(() -> GraphModelFile.load(damaged, manager)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("checksum mismatch");
        Path truncated = Files.write(dir.resolve("short.model"), Arrays.copyOf(Files.readAllBytes(golden()), 40));
        assertThatThrownBy(() -> GraphModelFile.load(truncated, manager)).isInstanceOf(ModelFormatException.class);
        Path straggler = Files.write(dir.resolve("straggler.model"),
                "COXSWAIN-STRAGGLER-MODEL and more bytes than a header".getBytes());
        assertThatThrownBy(() -> GraphModelFile.load(straggler, manager)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is not a Coxswain graph network model file");
    }

    /** Writes the golden file and prints the exchange times and spreads to record; run from the repository root. */
    public static void main(String[] args) throws Exception {
        engine();
        GraphModelFile.Trained t = tiny(manager);
        Path file = Path.of("graph-models/src/test/resources/dev/coxswain/graphmodels/model/golden-gnn-v2.model");
        GraphModelFile.save(t, file);
        System.out.println(file + ": " + Arrays.toString(exchange(t.network())) + " spread "
                + Arrays.toString(spread(t.network())));
        close();
    }
}
