package dev.coxswain.trainer.coord;

import dev.coxswain.core.knob.Knob;
import dev.coxswain.sdk.LrScaling;
import dev.coxswain.sdk.SyncMode;

/** One change that a knob update asks of the job; the coordinator applies each or rejects it with a reason. */
public sealed interface KnobEffect {

    /** The knob's wire name, for events and errors. */
    String field();

    /** The requested value as text. */
    String value();

    record LocalBatch(int worker, int batch) implements KnobEffect {
        public String field() {
            return Knob.BATCH_SIZE.wireName();
        }

        public String value() {
            return Integer.toString(batch);
        }
    }

    record GlobalBatch(int batch) implements KnobEffect {
        public String field() {
            return Knob.GLOBAL_BATCH_SIZE.wireName();
        }

        public String value() {
            return Integer.toString(batch);
        }
    }

    record BaseLearningRate(double lr) implements KnobEffect {
        public String field() {
            return Knob.LEARNING_RATE.wireName();
        }

        public String value() {
            return Double.toString(lr);
        }
    }

    record Scaling(LrScaling rule) implements KnobEffect {
        public String field() {
            return Knob.LR_SCALING.wireName();
        }

        public String value() {
            return rule.wireName();
        }
    }

    record Staleness(int bound) implements KnobEffect {
        public String field() {
            return Knob.STALENESS.wireName();
        }

        public String value() {
            return Integer.toString(bound);
        }
    }

    record Mode(SyncMode mode) implements KnobEffect {
        public String field() {
            return Knob.SYNC_MODE.wireName();
        }

        public String value() {
            return mode.wireName();
        }
    }

    record Migrate(int worker, String node) implements KnobEffect {
        public String field() {
            return Knob.NODE.wireName();
        }

        public String value() {
            return node;
        }
    }
}
