package dev.coxswain.sdk;

import java.util.Arrays;
import java.util.Locale;

/** The rule by which the learning rate follows the global batch size, as the {@code lr_scaling} knob names it. */
public enum LrScaling {
    /** The learning rate stays as set. */
    NONE,
    /** Proportional to the global batch (Goyal et al. 2017). */
    LINEAR,
    /** Proportional to the square root of the global batch (Krizhevsky 2014). */
    SQRT,
    /** The AdaScale gain from measured gradient statistics (Johnson et al. 2020). */
    ADASCALE;

    /**
     * The wire name: {@code none}, {@code linear}, {@code sqrt} or {@code adascale},
     * the same words as {@code Knob.LR_SCALING.choices()} in core (KnobContractIT holds them equal).
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws {@link InvalidKnobException} naming the field for anything else. */
    public static LrScaling fromWire(String field, String text) {
        for (LrScaling s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new InvalidKnobException(field, "'" + text + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(LrScaling::wireName).toList()));
    }
}
