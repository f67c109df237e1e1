package dev.coxswain.agent.intake;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies controller actions that arrived (verified) from the knobs topic to this node's {@link KnobStore}: those of
 * jobs whose workers poll this agent, all settings of an action as one knob version that carries the action's id,
 * so that the job's {@code knob.applied} events name it. An action id is applied once: a redelivery (a controller
 * failover, a replayed topic) changes nothing. Actions of jobs not on this node are counted and ignored. Runs on the
 * knob intake's thread; not for concurrent use.
 *
 * <p>Meters: {@code coxswain.agent.actions} with tag {@code result} ({@code applied}, {@code duplicate},
 * {@code not_here}, {@code not_member}: it names a worker the job's membership does not; the agent then reports
 * {@code knob.rejected} with the action id and the reason on the job's behalf).
 */
public final class ActionIntake implements Consumer<Action> {
    private static final Logger log = LoggerFactory.getLogger(ActionIntake.class);
    /** Action ids remembered for de-duplication. */
    static final int REMEMBERED = 10_000;

    private final KnobStore store;
    private final Consumer<Telemetry> events;
    private final Clock clock;
    private final Counter applied;
    private final Counter duplicate;
    private final Counter notHere;
    private final Counter notMember;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param events where the agent reports what it refused on the job's behalf ({@code knob.rejected} with the
     *               action id and the reason), so that the controller learns why at once
     */
    public ActionIntake(KnobStore store, Consumer<Telemetry> events, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.applied = counter(registry, "applied");
        this.duplicate = counter(registry, "duplicate");
        this.notHere = counter(registry, "not_here");
        this.notMember = counter(registry, "not_member");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("coxswain.agent.actions").tag("result", result)
                .description("Controller actions received from the knobs topic, by what this agent did with them")
                .baseUnit("actions").register(registry);
    }

    @Override
    public void accept(Action action) {
        if (seen.containsKey(action.id())) {
            duplicate.increment();
            return;
        }
        if (!store.knows(action.job())) {
            notHere.increment();
            return;
        }
        seen.put(action.id(), Boolean.TRUE);
        Map<Optional<String>, EnumMap<Knob, Optional<Object>>> byWorker = new LinkedHashMap<>();
        for (KnobSetting s : action.settings()) {
            byWorker.computeIfAbsent(s.worker(), w -> new EnumMap<>(Knob.class)).put(s.knob(), Optional.of(s.value()));
        }
        Map<Optional<String>, KnobPatch> patches = new LinkedHashMap<>();
        byWorker.forEach((w, changes) -> patches.put(w, new KnobPatch(changes)));
        long version;
        try {
            version = store.set(action.job(), patches, new KnobStore.Origin(Optional.of(action.id()),
                    action.issuer(), action.reason()));
        } catch (InvalidFieldException e) {
            notMember.increment();
            log.warn("action {} from {} for job {} refused: {}", action.id(), action.issuer(), action.job(),
                    e.getMessage());
            for (KnobSetting setting : action.settings()) {
                events.accept(new JobEvent(action.job(), setting.worker(), clock.instant(), "knob.rejected",
                        Map.of("knob", setting.knob().wireName(), "value", String.valueOf(setting.value()),
                                "action", action.id(), "reason", "agent: " + e.getMessage())));
            }
            return;
        }
        applied.increment();
        log.info("action {} from {} for job {} applied as knob version {}: {}", action.id(), action.issuer(),
                action.job(), version, action.settings());
    }
}
