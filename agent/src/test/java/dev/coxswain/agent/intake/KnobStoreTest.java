package dev.coxswain.agent.intake;

import dev.coxswain.core.knob.Knob;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnobStoreTest {
    private final KnobStore store = new KnobStore();

    private static KnobPatch patch(String json) {
        return KnobPatch.parse(new JsonObject(json), "knobs");
    }

    @Test
    void anUnknownJobIsAtVersionZeroWithNoKnobs() {
        assertThat(store.get("j", "w0")).isEqualTo(new KnobStore.Snapshot(0, KnobSet.EMPTY, Optional.empty()));
    }

    @Test
    void versionsGoUpByOnePerChangePerJob() {
        assertThat(store.set("a", Optional.empty(), patch("{\"batch_size\": 32}"))).isEqualTo(1);
        assertThat(store.set("a", Optional.of("w1"), patch("{\"batch_size\": 16}"))).isEqualTo(2);
        assertThat(store.set("b", Optional.empty(), patch("{\"staleness\": 2}"))).isEqualTo(1);
        assertThat(store.get("a", "w0").version()).isEqualTo(2);
    }

    @Test
    void aChangeThatAltersNothingKeepsTheVersion() {
        store.set("a", Optional.empty(), patch("{\"sync_mode\": \"ssp\"}"));
        assertThat(store.set("a", Optional.empty(), patch("{\"sync_mode\": \"ssp\"}"))).isEqualTo(1);
    }

    @Test
    void workerKnobsOverrideJobWideKnobs() {
        store.set("a", Optional.empty(), patch("{\"batch_size\": 32, \"learning_rate\": 0.1}"));
        store.set("a", Optional.of("w1"), patch("{\"batch_size\": 16}"));
        assertThat(store.get("a", "w1").knobs().toJsonMap())
                .containsExactly(Map.entry("batch_size", 16), Map.entry("learning_rate", 0.1));
        assertThat(store.get("a", "w0").knobs().toJsonMap())
                .containsExactly(Map.entry("batch_size", 32), Map.entry("learning_rate", 0.1));
    }

    @Test
    void nullClearsAKnobAndOtherKnobsKeepTheirValues() {
        store.set("a", Optional.empty(), patch("{\"batch_size\": 32, \"staleness\": 3}"));
        store.set("a", Optional.empty(), patch("{\"staleness\": null}"));
        assertThat(store.get("a", "w0").knobs().toJsonMap()).containsExactly(Map.entry("batch_size", 32));
    }

    @Test
    void aWaiterHearsTheFirstChangeAfterItsVersion() {
        List<KnobStore.Snapshot> heard = new ArrayList<>();
        store.awaitAfter("a", "w0", 0, heard::add);
        assertThat(heard).isEmpty();
        store.set("a", Optional.empty(), patch("{\"batch_size\": 8}"));
        store.set("a", Optional.empty(), patch("{\"batch_size\": 9}"));
        assertThat(heard).extracting(KnobStore.Snapshot::version).containsExactly(1L);
        assertThat(store.pendingWaits()).isZero();
    }

    @Test
    void aWaiterBehindTheCurrentVersionIsAnsweredAtOnce() {
        store.set("a", Optional.empty(), patch("{\"batch_size\": 8}"));
        List<KnobStore.Snapshot> heard = new ArrayList<>();
        KnobStore.Subscription sub = store.awaitAfter("a", "w0", -1, heard::add);
        assertThat(heard).hasSize(1);
        assertThat(sub.cancel()).isFalse();
    }

    @Test
    void aCancelledWaiterHearsNothing() {
        List<KnobStore.Snapshot> heard = new ArrayList<>();
        KnobStore.Subscription sub = store.awaitAfter("a", "w0", 0, heard::add);
        assertThat(sub.cancel()).isTrue();
        store.set("a", Optional.empty(), patch("{\"batch_size\": 8}"));
        assertThat(heard).isEmpty();
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> patch("{\"batch_size\": 0}"))
                .hasMessage("knobs.batch_size: 0 is outside [1, 16777216]");
        assertThatThrownBy(() -> patch("{\"batch_size\": 1.5}"))
                .hasMessage("knobs.batch_size: 1.5 is not an integer");
        assertThatThrownBy(() -> patch("{\"learning_rate\": -1}")).hasMessageStartingWith("knobs.learning_rate:");
        assertThatThrownBy(() -> patch("{\"lr_scaling\": \"cubic\"}"))
                .hasMessage("knobs.lr_scaling: 'cubic' is not one of none, linear, sqrt, adascale");
        assertThatThrownBy(() -> patch("{\"sync_mode\": 1}")).hasMessageStartingWith("knobs.sync_mode:");
        assertThatThrownBy(() -> patch("{\"staleness\": -1}"))
                .hasMessage("knobs.staleness: -1 is outside [0, 1000000]");
        assertThatThrownBy(() -> patch("{\"node\": \"bad node\"}")).hasMessageStartingWith("knobs.node:");
        assertThatThrownBy(() -> patch("{\"batch_size\": 16777217}"))
                .hasMessage("knobs.batch_size: 16777217 is outside [1, 16777216]");
        assertThatThrownBy(() -> patch("{\"batchsize\": 3}"))
                .hasMessageStartingWith("knobs.batchsize: unknown knob (known: batch_size,");
    }

    @Test
    void acceptsEveryKnobWithAValidValue() {
        KnobPatch p = patch("{\"batch_size\": 64, \"global_batch_size\": 512, \"learning_rate\": 3e-4,"
                + " \"lr_scaling\": \"sqrt\", \"staleness\": 0, \"sync_mode\": \"asp\", \"node\": \"node-b\"}");
        assertThat(p.changes()).hasSize(Knob.values().length);
    }
}
