package dev.coxswain.core.control;

import dev.coxswain.core.hub.Source;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The controller as the dashboard and the REST API see it, in the same process: its board, and the changes a person
 * may ask for. Callers authenticate the person first; the issuer names them on the audit log. Thread-safe; the
 * changes are queued to the controller's thread and take effect at its next round.
 */
public interface ControlApi extends Source<ActionBoard> {

    /** The most recent board; {@link ActionBoard#off()} for a process without a controller. */
    @Override
    ActionBoard latest();

    /** Whether a controller runs here at all. */
    boolean running();

    /** Sets one job's mode. */
    void setMode(String job, ControlMode mode, String issuer);

    /**
     * Takes back an applied action by restoring the values it replaced.
     *
     * @return why it cannot be done (unknown action, not applied, already rolled back), or empty when queued
     */
    Optional<String> rollback(String actionId, String issuer);

    /**
     * A change a person asks for: applied as an action of policy {@code manual}, audited and verified like the
     * controller's own (its measured effect is recorded) but never rolled back automatically. Settings outside the
     * controller's bounds are refused and recorded as rejected.
     *
     * @return why it is refused (the job is not run by this controller, a setting is out of bounds), or empty when
     *         queued
     */
    Optional<String> manual(String job, List<KnobSetting> settings, String reason, String issuer);

    /** A process without a controller. */
    static ControlApi none() {
        ActionBoard off = ActionBoard.off();
        return new ControlApi() {
            @Override
            public ActionBoard latest() {
                return off;
            }

            @Override
            public AutoCloseable subscribe(Consumer<ActionBoard> listener) {
                return () -> { };
            }

            @Override
            public boolean running() {
                return false;
            }

            @Override
            public void setMode(String job, ControlMode mode, String issuer) {
                throw new IllegalStateException("no controller runs in this process");
            }

            @Override
            public Optional<String> rollback(String actionId, String issuer) {
                return Optional.of("no controller runs in this process");
            }

            @Override
            public Optional<String> manual(String job, List<KnobSetting> settings, String reason, String issuer) {
                return Optional.of("no controller runs in this process");
            }
        };
    }
}
