package dev.coxswain.whatif.spec;

import dev.coxswain.core.BadInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ClusterFileTest {
    /** A valid cluster file: the start of other tests' broken copies. */
    public static final String GOOD = """
            name: lab
            nodeGroups:
              - name: a100
                count: 4
                gpu: {type: A100, tflops: 312, memoryGiB: 80}
                gpusPerNode: 8
                fabric: {kind: nvswitch, gpuGBps: 300, latencyUs: 3}
                nics: {count: 4, gbps: 200, latencyUs: 5}
            switchTiers:
              - {name: leaf, fanout: 2, oversubscription: 2}
            """;

    @Test
    void readsGroupsFabricNicsAndTiersInSiUnits() {
        ClusterSpec c = ClusterFile.parse("lab.yaml", GOOD);
        assertThat(c.nodeCount()).isEqualTo(4);
        assertThat(c.gpuCount()).isEqualTo(32);
        NodeGroup g = c.groups().get(0);
        assertThat(g.fabric().gpuBytesPerSec()).isEqualTo(300e9);
        assertThat(g.nics().totalBytesPerSec()).isEqualTo(4 * 25e9);
        assertThat(c.tiers().get(0).oversubscription()).isEqualTo(2);
    }

    @Test
    void namesFileLineAndKeyOfAnUnknownKey() {
        String bad = GOOD.replace("gpusPerNode: 8", "gpusPerNode: 8\n    gpuPerNode: 8");
        assertThatThrownBy(() -> ClusterFile.parse("lab.yaml", bad))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.line()).isEqualTo(7);
                    assertThat(e.field()).isEqualTo("nodeGroups[0].gpuPerNode");
                });
    }

    @Test
    void rejectsABadFabricKindAndAMissingSpeed() {
        assertThatThrownBy(() -> ClusterFile.parse("x.yaml", GOOD.replace("nvswitch", "ethernet")))
                .hasMessageContaining("x.yaml:7: field 'nodeGroups[0].fabric.kind': 'ethernet' is not one of");
        assertThatThrownBy(() -> ClusterFile.parse("x.yaml", GOOD.replace("gbps: 200, ", "")))
                .hasMessageContaining("field 'nodeGroups[0].nics.gbps': required key missing");
    }

    @Test
    void presetsBuildFromPublicSpecsAndThePaiInventory() {
        assertThat(ClusterPresets.get("dgx-h100").gpuCount()).isEqualTo(1024);
        assertThat(ClusterPresets.get("g4dn-12xlarge").groups().get(0).nics().perFlowBytesPerSec()).isEqualTo(5e9 / 8);
        ClusterSpec pai = ClusterPresets.get("pai-2020");
        assertThat(pai.nodeCount()).isEqualTo(1897 - 83);
        assertThat(pai.gpuCount()).isEqualTo(798 * 2 + 497 * 2 + (280 + 135 + 59 + 45) * 8);
        assertThatThrownBy(() -> ClusterPresets.get("nope")).hasMessageContaining("presets");
    }
}
