package dev.coxswain.graphmodels.gnn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The aggregation the graph network is built on, checked on the real PyTorch CPU engine, offline, before anything
 * is designed around it (issue 13): a sparse COO incidence times dense messages sums them as the dense product does,
 * and gradients flow back through it.
 */
class IncidenceTest {
    /** Three flows over four links: f0 crosses l0 and l1, f1 crosses l1, f2 crosses l0, l2 and l3. */
    private static final Incidence FLOWS_OVER_LINKS = new Incidence(3, 4, new int[]{0, 0, 1, 2, 2, 2},
            new int[]{0, 1, 1, 0, 2, 3});

    private static NDManager manager() {
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        return TorchEngine.manager(home.resolve("djl"));
    }

    /** Link i's messages: (i + 1, 10 (i + 1)). */
    private static NDArray linkMessages(NDManager m) {
        return m.create(new float[]{1, 10, 2, 20, 3, 30, 4, 40}, new Shape(4, 2));
    }

    @Test
    void theSparseProductSumsEachFlowsLinksAsTheDenseOneDoes() {
        try (NDManager m = manager()) {
            NDArray sparse = FLOWS_OVER_LINKS.sparse(m).matMul(linkMessages(m));
            NDArray dense = FLOWS_OVER_LINKS.dense(m).matMul(linkMessages(m));

            assertThat(m.getEngine().getEngineName()).isEqualTo("PyTorch");
            assertThat(sparse.getShape()).isEqualTo(new Shape(3, 2));
            assertThat(sparse.toFloatArray()).containsExactly(3, 30, 2, 20, 8, 80);
            assertThat(sparse.toFloatArray()).containsExactly(dense.toFloatArray());
        }
    }

    @Test
    void theSparseMatrixOwnsItsIndicesOnceTheBuffersItWasMadeFromAreGone() {
        try (NDManager m = manager()) {
            NDArray sparse = FLOWS_OVER_LINKS.sparse(m);
            // A COO tensor that pointed into the Java buffers it was made from read garbage indices once they were
            // collected ("index out of row bound" in a training loop); the sparse matrix holds its own copy.
            for (int i = 0; i < 5; i++) {
                byte[][] garbage = new byte[256][];
                for (int j = 0; j < garbage.length; j++) {
                    garbage[j] = new byte[64 << 10];
                }
                System.gc();
            }
            assertThat(sparse.matMul(linkMessages(m)).toFloatArray()).containsExactly(3, 30, 2, 20, 8, 80);
        }
    }

    @Test
    void theTransposeSumsEachLinksFlows() {
        try (NDManager m = manager()) {
            NDArray flows = m.create(new float[]{1, 2, 4}, new Shape(3, 1));
            NDArray perLink = FLOWS_OVER_LINKS.transpose().sparse(m).matMul(flows);
            // l0: f0 + f2, l1: f0 + f1, l2: f2, l3: f2
            assertThat(perLink.toFloatArray()).containsExactly(5, 3, 4, 4);
        }
    }

    @Test
    void gradientsFlowBackThroughTheSparseProduct() {
        try (NDManager m = manager()) {
            NDArray links = linkMessages(m);
            links.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(FLOWS_OVER_LINKS.sparse(m).matMul(links).sum());
            }
            // d(sum)/d(link i) is the number of flows that cross link i, for each feature
            assertThat(links.getGradient().toFloatArray()).containsExactly(2, 2, 2, 2, 1, 1, 1, 1);
        }
    }

    @Test
    void refusesAnEntryOutsideTheMatrix() {
        assertThatThrownBy(() -> new Incidence(3, 4, new int[]{0, 3}, new int[]{0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry 1 (3, 1) is outside 3 x 4");
        assertThatThrownBy(() -> new Incidence(3, 4, new int[]{0}, new int[]{0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 rows but 2 columns");
    }
}
