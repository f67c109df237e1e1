package dev.coxswain.sdk.json;

import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JSON forms of docs/agent-protocol.md for step reports, job events and job membership, both ways. Reading
 * validates through the core records, so a malformed entry fails with the record's own field-naming message.
 */
public final class ProtocolJson {

    private ProtocolJson() {
    }

    /** One entry of {@code POST /v1/steps}'s {@code reports} array. */
    public static Map<String, Object> step(StepReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", r.jobId());
        m.put("worker", r.workerId());
        m.put("step", r.step());
        m.put("timestamp_ms", r.timestamp().toEpochMilli());
        m.put("step_time_ms", r.stepTimeMs());
        m.put("compute_ms", r.computeMs());
        m.put("comm_ms", r.commMs());
        m.put("wait_ms", r.waitMs());
        r.dataMs().ifPresent(d -> m.put("data_ms", d));
        m.put("samples", r.samples());
        m.put("batch_size", r.batchSize());
        r.loss().ifPresent(l -> m.put("loss", l));
        r.gradient().ifPresent(g -> {
            m.put("grad_sq_norm", g.sqNorm());
            m.put("grad_variance", g.variance());
        });
        return m;
    }

    /** One entry of {@code POST /v1/events}'s {@code events} array. */
    public static Map<String, Object> event(JobEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", e.jobId());
        e.workerId().ifPresent(w -> m.put("worker", w));
        m.put("timestamp_ms", e.timestamp().toEpochMilli());
        m.put("kind", e.kind());
        m.put("attributes", new LinkedHashMap<>(e.attributes()));
        return m;
    }

    /** The body of {@code POST /v1/jobs}. */
    public static Map<String, Object> membership(JobMembership j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", j.jobId());
        m.put("pattern", j.pattern().name());
        m.put("gradient_bytes", j.gradientBytes());
        List<Object> members = new ArrayList<>();
        for (JobMembership.Member member : j.members()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("worker", member.workerId());
            mm.put("node", member.nodeId());
            mm.put("gpu", member.gpuIndex());
            mm.put("role", member.role().name());
            members.add(mm);
        }
        m.put("members", members);
        return m;
    }

    /** Reads a step report entry; {@code now} stands in for a missing {@code timestamp_ms}. */
    public static StepReport readStep(Map<String, Object> m, Instant now) {
        boolean hasNorm = m.containsKey("grad_sq_norm");
        if (hasNorm != m.containsKey("grad_variance")) {
            throw new JsonException("grad_sq_norm and grad_variance come together or not at all");
        }
        return new StepReport(
                text(m, "job"), text(m, "worker"), integer(m, "step"), time(m, now),
                number(m, "step_time_ms"), number(m, "compute_ms"), number(m, "comm_ms"), number(m, "wait_ms"),
                (int) integer(m, "samples"), (int) integer(m, "batch_size"),
                m.containsKey("loss") ? OptionalDouble.of(number(m, "loss")) : OptionalDouble.empty(),
                hasNorm ? Optional.of(new StepReport.GradientStats(number(m, "grad_sq_norm"),
                        number(m, "grad_variance"))) : Optional.empty(),
                m.containsKey("data_ms") ? OptionalDouble.of(number(m, "data_ms")) : OptionalDouble.empty());
    }

    /** Reads a job event entry; {@code now} stands in for a missing {@code timestamp_ms}. */
    public static JobEvent readEvent(Map<String, Object> m, Instant now) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Object raw = m.getOrDefault("attributes", Map.of());
        if (!(raw instanceof Map<?, ?> attrs)) {
            throw new JsonException("attributes: not an object");
        }
        attrs.forEach((k, v) -> {
            if (!(v instanceof String s)) {
                throw new JsonException("attributes." + k + ": not a string");
            }
            attributes.put(String.valueOf(k), s);
        });
        Optional<String> worker = m.containsKey("worker") ? Optional.of(text(m, "worker")) : Optional.empty();
        return new JobEvent(text(m, "job"), worker, time(m, now), text(m, "kind"), attributes);
    }

    /** Reads the body of {@code POST /v1/jobs}; {@code node} stands in for a member's missing node. */
    public static JobMembership readMembership(Map<String, Object> m, String node, Instant now) {
        Object raw = m.get("members");
        if (!(raw instanceof List<?> list)) {
            throw new JsonException("members: missing or not an array");
        }
        List<JobMembership.Member> members = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> mm)) {
                throw new JsonException("members: an entry is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> member = (Map<String, Object>) mm;
            members.add(new JobMembership.Member(text(member, "worker"),
                    member.containsKey("node") ? text(member, "node") : node,
                    member.containsKey("gpu") ? (int) integer(member, "gpu") : -1,
                    JobMembership.Role.valueOf(member.containsKey("role") ? text(member, "role") : "WORKER")));
        }
        return new JobMembership(text(m, "job"), now,
                JobMembership.CommPattern.valueOf(text(m, "pattern")), integer(m, "gradient_bytes"), members);
    }

    private static Instant time(Map<String, Object> m, Instant now) {
        return m.containsKey("timestamp_ms") ? Instant.ofEpochMilli(integer(m, "timestamp_ms")) : now;
    }

    private static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof String s)) {
            throw new JsonException(field + ": " + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    private static double number(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof Number n)) {
            throw new JsonException(field + ": " + (v == null ? "missing" : "not a number"));
        }
        return n.doubleValue();
    }

    private static long integer(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof Long l)) {
            throw new JsonException(field + ": " + (v == null ? "missing" : "not an integer"));
        }
        return l;
    }
}
