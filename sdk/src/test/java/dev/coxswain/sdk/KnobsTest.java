package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnobsTest {

    @Test
    void roundTripsEveryFieldThroughTheWireForm() {
        Knobs k = Knobs.none().withBatchSize(48).withGlobalBatchSize(256).withLearningRate(0.05)
                .withLrScaling(LrScaling.SQRT).withStaleness(3).withSyncMode(SyncMode.SSP).withNode("node-b");
        assertThat(Knobs.fromJson(k.toJson())).isEqualTo(k);
        assertThat(k.toJson()).containsEntry("sync_mode", "ssp").containsEntry("lr_scaling", "sqrt");
    }

    @Test
    void rejectsUnknownFieldsNamingThem() {
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"batchsize\": 3}")))
                .isInstanceOf(InvalidKnobException.class).hasMessageStartingWith("batchsize: unknown knob");
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"batch_size\": 0}")))
                .hasMessage("batch_size: 0 is outside [1, 16777216]");
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"batch_size\": 2.5}")))
                .hasMessage("batch_size: 2.5 is not an integer");
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"sync_mode\": \"BSP\"}")))
                .hasMessage("sync_mode: 'BSP' is not one of bsp, ssp, asp");
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"learning_rate\": -1}")))
                .hasMessage("learning_rate: -1 is not a finite number in (0, 1000000]");
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"staleness\": \"3\"}")))
                .hasMessage("staleness: '3' is not an integer");
        assertThatThrownBy(() -> Knobs.fromJson(JsonParser.parseObject("{\"node\": \"a b\"}")))
                .hasMessageStartingWith("node: 'a b' is not an identifier");
    }

    @Test
    void theConstructorChecksLimitsFromTheKnobTable() {
        assertThat(Knobs.none().withBatchSize((int) Knob.BATCH_SIZE.max()).batchSize()).hasValue(1 << 24);
        assertThatThrownBy(() -> Knobs.none().withBatchSize((1 << 24) + 1))
                .isInstanceOf(InvalidKnobException.class)
                .hasMessage("batch_size: 16777217 is outside [1, 16777216]")
                .extracting(e -> ((InvalidKnobException) e).field()).isEqualTo("batch_size");
        assertThatThrownBy(() -> Knobs.none().withStaleness(1_000_001)).hasMessageStartingWith("staleness: ");
        assertThatThrownBy(() -> Knobs.none().withLearningRate(Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("learning_rate: ");
        assertThatThrownBy(() -> Knobs.none().withNode("")).hasMessageStartingWith("node: ");
    }

    @Test
    void anIntegralNumberIsAnIntegerKnobAsTheAgentHoldsIt() {
        assertThat(Knobs.fromJson(JsonParser.parseObject("{\"batch_size\": 64.0, \"learning_rate\": 1}")))
                .isEqualTo(Knobs.none().withBatchSize(64).withLearningRate(1.0));
    }

    @Test
    void mergeKeepsFieldsTheOverrideLeavesOut() {
        Knobs job = Knobs.none().withBatchSize(64).withStaleness(2);
        Knobs worker = Knobs.none().withBatchSize(32);
        assertThat(job.mergedWith(worker)).isEqualTo(Knobs.none().withBatchSize(32).withStaleness(2));
        assertThat(Knobs.none().isEmpty()).isTrue();
    }
}
