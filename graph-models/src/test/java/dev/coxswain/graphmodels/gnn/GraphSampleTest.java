package dev.coxswain.graphmodels.gnn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** An exchange's spread as the network learns it, and samples that do not fit their graph. */
class GraphSampleTest {
    @Test
    void spreadIsTheMiddleOfEachEquallyLikelyRangeOverTheirMean() {
        // Sorted, the middles of four ranges of eight are the 2nd, 4th, 6th and 8th: 1, 1, 1 and 3, mean 1.5.
        float[] points = GraphSample.spread(List.of(3.0, 1.0, 1.0, 1.0, 3.0, 1.0, 1.0, 1.0));
        assertThat(points).containsExactly(new float[]{2f / 3, 2f / 3, 2f / 3, 2f}, within(1e-6f));
        assertThat(GraphSample.spread(List.of(0.2, 0.2, 0.2))).as("always alike").containsOnly(1f);
        assertThat(GraphSample.spread(List.of())).as("no exchange").containsOnly(1f);
    }

    @Test
    void refusesExchangesThatTookNoTime() {
        assertThatThrownBy(() -> GraphSample.spread(List.of(0.1, 0.0)))
                .hasMessageContaining("an exchange took 0.0 s");
    }

    @Test
    void refusesSpreadsThatDoNotFitTheGraph() {
        FlowGraphBuilder b = new FlowGraphBuilder();
        int link = b.link(LinkType.NIC, 1e9);
        b.flow(b.job(0.1), new int[]{link}, 1e6, Double.POSITIVE_INFINITY, 0);
        FlowGraph g = b.build();
        assertThatThrownBy(() -> new GraphSample(g, new float[1], new float[]{0.01f}, new float[3]))
                .hasMessageContaining("1 jobs, so 4 spread points each, but 3 are given");
        assertThatThrownBy(() -> new GraphSample(g, new float[1], new float[]{0.01f}, new float[]{1, 1, 0, 2}))
                .hasMessageContaining("job 0 has spread point 0.0");
        assertThat(new GraphSample(g, new float[1], new float[]{0.01f}, new float[]{0.5f, 1, 1, 1.5f}).exchanges()
                .pointSec(0, 3)).isCloseTo(0.015, within(1e-6));
    }
}
