package dev.coxswain.agent.intake;

import dev.coxswain.core.telemetry.Check;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns the JSON bodies of docs/agent-protocol.md into telemetry records. Each entry of a batch is decoded on its
 * own: a bad entry becomes a {@link Rejected} with its index and a message naming the field, the others are kept.
 * Field types are checked here; value ranges by the records' own validation, whose messages name the record field
 * ({@code StepReport.stepTimeMs: NaN}). Stateless apart from the injected clock; thread-safe.
 */
final class IntakeDecoder {
    static final int MAX_BATCH = 10_000;

    /** The decoded entries of a batch and the rejected ones. */
    record Batch<T extends Telemetry>(List<T> accepted, List<Rejected> rejected) {
    }

    record Rejected(int index, String error) {
    }

    private final Clock clock;
    private final String nodeId;

    IntakeDecoder(Clock clock, String nodeId) {
        this.clock = clock;
        this.nodeId = nodeId;
    }

    Batch<StepReport> steps(JsonObject body) {
        return batch(body, "reports", this::step);
    }

    Batch<JobEvent> events(JsonObject body) {
        return batch(body, "events", this::event);
    }

    private interface EntryDecoder<T> {
        T decode(FieldReader entry);
    }

    private <T extends Telemetry> Batch<T> batch(JsonObject body, String name, EntryDecoder<T> decoder) {
        JsonArray entries = new FieldReader(body, "").array(name);
        if (entries.size() > MAX_BATCH) {
            throw new InvalidFieldException(name, entries.size() + " entries, at most " + MAX_BATCH
                    + " per request");
        }
        List<T> accepted = new ArrayList<>(entries.size());
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = name + "[" + i + "]";
            try {
                if (!(entries.getValue(i) instanceof JsonObject entry)) {
                    throw new InvalidFieldException(path, "expected a JSON object, got "
                            + FieldReader.describe(entries.getValue(i)));
                }
                accepted.add(decoder.decode(new FieldReader(entry, path)));
            } catch (InvalidFieldException | InvalidTelemetryException e) {
                rejected.add(new Rejected(i, e.getMessage()));
            }
        }
        return new Batch<>(accepted, rejected);
    }

    /** The report's time, or the agent's now; a time more than a day ahead of the agent's clock is refused. */
    private Instant timestamp(FieldReader r) {
        Instant t = r.optionalInteger("timestamp_ms").map(Instant::ofEpochMilli).orElseGet(clock::instant);
        Check.notAhead(r.path("timestamp_ms"), t, clock);
        return t;
    }

    StepReport step(FieldReader r) {
        OptionalDouble sqNorm = r.optionalNumber("grad_sq_norm");
        OptionalDouble variance = r.optionalNumber("grad_variance");
        if (sqNorm.isPresent() != variance.isPresent()) {
            String missing = sqNorm.isPresent() ? "grad_variance" : "grad_sq_norm";
            throw new InvalidFieldException(r.path(missing),
                    "missing (grad_sq_norm and grad_variance come together or not at all)");
        }
        Optional<StepReport.GradientStats> gradient = sqNorm.isPresent()
                ? Optional.of(new StepReport.GradientStats(sqNorm.getAsDouble(), variance.getAsDouble()))
                : Optional.empty();
        return new StepReport(r.id("job"), r.id("worker"), r.integer("step"), timestamp(r),
                r.number("step_time_ms"), r.number("compute_ms"), r.number("comm_ms"), r.number("wait_ms"),
                r.intValue("samples"), r.intValue("batch_size"), r.optionalNumber("loss"), gradient,
                r.optionalNumber("data_ms"));
    }

    JobEvent event(FieldReader r) {
        Map<String, String> attributes = new LinkedHashMap<>();
        r.optionalObject("attributes").ifPresent(a -> a.forEach(e -> {
            Object v = e.getValue();
            if (v == null || v instanceof JsonObject || v instanceof JsonArray) {
                throw new InvalidFieldException(r.path("attributes." + e.getKey()),
                        "expected a string, number or boolean, got " + FieldReader.describe(v));
            }
            attributes.put(e.getKey(), String.valueOf(v));
        }));
        return new JobEvent(r.id("job"), r.optionalId("worker"), timestamp(r), r.id("kind"), attributes);
    }

    /** A membership body; any problem is an {@link InvalidFieldException} or {@link InvalidTelemetryException}. */
    JobMembership membership(JsonObject body) {
        FieldReader r = new FieldReader(body, "");
        JsonArray members = r.array("members");
        List<JobMembership.Member> list = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            String path = "members[" + i + "]";
            if (!(members.getValue(i) instanceof JsonObject m)) {
                throw new InvalidFieldException(path, "expected a JSON object, got "
                        + FieldReader.describe(members.getValue(i)));
            }
            FieldReader mr = new FieldReader(m, path);
            list.add(new JobMembership.Member(mr.id("worker"), mr.optionalId("node").orElse(nodeId),
                    mr.optionalInt("gpu").orElse(-1),
                    mr.enumValue("role", JobMembership.Role.class, JobMembership.Role.WORKER)));
        }
        JobMembership.CommPattern pattern = r.enumValue("pattern", JobMembership.CommPattern.class, null);
        if (pattern == null) {
            throw new InvalidFieldException("pattern", "missing");
        }
        return new JobMembership(r.id("job"), clock.instant(), pattern,
                r.optionalInteger("gradient_bytes").orElse(0L), list);
    }
}
