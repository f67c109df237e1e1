package dev.coxswain.sdk;

import java.util.Arrays;
import java.util.Locale;

/** How workers of a parameter-server job synchronise, as the {@code sync_mode} knob names it. */
public enum SyncMode {
    /** Bulk synchronous: every clock waits for all workers, and their gradients are applied together. */
    BSP,
    /** Stale synchronous: a worker may run at most {@code staleness} clocks ahead of the slowest. */
    SSP,
    /** Asynchronous: no bound; each gradient is applied when it arrives. */
    ASP;

    /**
     * The wire name: {@code bsp}, {@code ssp} or {@code asp},
     * the same words as {@code Knob.SYNC_MODE.choices()} in core (KnobContractIT holds them equal).
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; throws {@link InvalidKnobException} naming the field for anything else. */
    public static SyncMode fromWire(String field, String text) {
        for (SyncMode m : values()) {
            if (m.wireName().equals(text)) {
                return m;
            }
        }
        throw new InvalidKnobException(field, "'" + text + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(SyncMode::wireName).toList()));
    }
}
