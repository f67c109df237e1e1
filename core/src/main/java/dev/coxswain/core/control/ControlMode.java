package dev.coxswain.core.control;

import java.util.Locale;

/** How far the controller goes for a job: the global setting {@code controller.mode}, or a job's own. */
public enum ControlMode {
    /** Nothing is computed or published. */
    OFF,
    /** Dry run: actions are computed, published on the audit log and shown, never applied. */
    ADVISE,
    /** Actions are applied, verified and rolled back when they do not pay off. */
    ACT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code off}, {@code advise} or {@code act}; throws naming the allowed values otherwise. */
    public static ControlMode parse(String text) {
        for (ControlMode m : values()) {
            if (m.label().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a controller mode (off, advise, act)");
    }
}
