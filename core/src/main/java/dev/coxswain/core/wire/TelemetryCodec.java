package dev.coxswain.core.wire;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample.IbPortSample;
import dev.coxswain.core.telemetry.HostSample.NicSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport.GradientStats;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The binary wire format of telemetry records. Every record starts with a three-byte header:
 * <pre>
 *   byte 0  magic 0xC7
 *   byte 1  schema version (this class writes {@value #VERSION} and reads {@value #OLDEST_READABLE} to
 *           {@value #VERSION})
 *   byte 2  type tag: 1 step report, 2 GPU sample, 3 host sample, 4 topology report, 5 job membership, 6 job event
 * </pre>
 * followed by the record's fields in declaration order, big-endian: integers fixed width, doubles IEEE 754,
 * instants as epoch microseconds, strings and lists with an unsigned 16-bit length, optionals with a presence byte.
 * A new field means a new schema version; a reader keeps decoding every version it knows.
 *
 * <p>Stateless and thread-safe. {@link #decode} never throws: bad bytes and invalid values come back as a
 * {@link DecodeResult.Rejected} whose detail says what was wrong and where.
 */
public final class TelemetryCodec {
    public static final int MAGIC = 0xC7;
    public static final int VERSION = 3;
    /**
     * The oldest version this class reads: version 1 differs in the GPU sample (see {@link #readGpu}), versions 1 and
     * 2 in the step report's missing data-loading time.
     */
    public static final int OLDEST_READABLE = 1;

    static final int TAG_STEP = 1;
    static final int TAG_GPU = 2;
    static final int TAG_HOST = 3;
    static final int TAG_TOPOLOGY = 4;
    static final int TAG_MEMBERSHIP = 5;
    static final int TAG_EVENT = 6;

    private TelemetryCodec() {
    }

    public static byte[] encode(Telemetry record) {
        WireWriter w = new WireWriter().u8(MAGIC).u8(VERSION);
        switch (record) {
            case StepReport r -> writeStep(w.u8(TAG_STEP), r);
            case GpuSample g -> writeGpu(w.u8(TAG_GPU), g);
            case HostSample h -> writeHost(w.u8(TAG_HOST), h);
            case TopologyReport t -> writeTopology(w.u8(TAG_TOPOLOGY), t);
            case JobMembership m -> writeMembership(w.u8(TAG_MEMBERSHIP), m);
            case JobEvent e -> writeEvent(w.u8(TAG_EVENT), e);
        }
        return w.toByteArray();
    }

    /** Decodes one record; see {@link TelemetryDecoder} for a consuming thread's repeated ids. */
    public static DecodeResult decode(byte[] bytes) {
        return decode(bytes, null);
    }

    /** @param ids where recurring identifiers are looked up, or {@code null} for a fresh string each time */
    static DecodeResult decode(byte[] bytes, IdTable ids) {
        if (bytes == null || bytes.length < 3) {
            return new DecodeResult.Rejected(DecodeResult.Reason.MALFORMED,
                    "record of " + (bytes == null ? "null" : bytes.length + " bytes") + " is shorter than its header");
        }
        if ((bytes[0] & 0xff) != MAGIC) {
            return new DecodeResult.Rejected(DecodeResult.Reason.MALFORMED,
                    String.format("byte 0 is 0x%02X, not the magic 0x%02X", bytes[0] & 0xff, MAGIC));
        }
        int version = bytes[1] & 0xff;
        if (version < OLDEST_READABLE || version > VERSION) {
            return new DecodeResult.Rejected(DecodeResult.Reason.UNKNOWN_VERSION,
                    "schema version " + version + "; this reader knows " + OLDEST_READABLE + " to " + VERSION);
        }
        WireReader r = new WireReader(bytes, ids);
        r.u8();
        r.u8();
        int tag = r.u8();
        try {
            Telemetry record = switch (tag) {
                case TAG_STEP -> readStep(r, version);
                case TAG_GPU -> readGpu(r, version);
                case TAG_HOST -> readHost(r);
                case TAG_TOPOLOGY -> readTopology(r);
                case TAG_MEMBERSHIP -> readMembership(r);
                case TAG_EVENT -> readEvent(r);
                default -> null;
            };
            if (record == null) {
                return new DecodeResult.Rejected(DecodeResult.Reason.UNKNOWN_TYPE, "type tag " + tag);
            }
            r.expectEnd();
            return new DecodeResult.Decoded(record);
        } catch (MalformedRecordException e) {
            return new DecodeResult.Rejected(DecodeResult.Reason.MALFORMED, e.getMessage());
        } catch (InvalidTelemetryException e) {
            return new DecodeResult.Rejected(DecodeResult.Reason.INVALID, e.getMessage());
        }
    }

    private static void writeStep(WireWriter w, StepReport r) {
        w.string(r.jobId()).string(r.workerId()).i64(r.step()).instant(r.timestamp())
                .f64(r.stepTimeMs()).f64(r.computeMs()).f64(r.commMs()).f64(r.waitMs())
                .i32(r.samples()).i32(r.batchSize()).optionalDouble(r.loss());
        w.bool(r.gradient().isPresent());
        r.gradient().ifPresent(g -> w.f64(g.sqNorm()).f64(g.variance()));
        w.optionalDouble(r.dataMs());
    }

    /**
     * Reads a step report into {@code into} with the record's checks, without making it: false, with {@code into}
     * undefined, for bytes that are not a well-formed, valid step report of a version this class reads (then
     * {@link #decode} gives the reason, or the record of another type).
     */
    static boolean decodeStep(byte[] bytes, IdTable ids, StepFields into) {
        if (bytes == null || bytes.length < 3 || (bytes[0] & 0xff) != MAGIC || (bytes[2] & 0xff) != TAG_STEP) {
            return false;
        }
        int version = bytes[1] & 0xff;
        if (version < OLDEST_READABLE || version > VERSION) {
            return false;
        }
        WireReader r = new WireReader(bytes, ids);
        r.skip(3);
        try {
            String jobId = r.id();
            String workerId = r.id();
            long step = r.i64();
            long micros = r.i64();
            double stepTimeMs = r.f64();
            double computeMs = r.f64();
            double commMs = r.f64();
            double waitMs = r.f64();
            int samples = r.i32();
            int batchSize = r.i32();
            boolean hasLoss = r.bool();
            double loss = hasLoss ? r.f64() : 0;
            if (r.bool()) {
                GradientStats.check(r.f64(), r.f64());
            }
            boolean hasDataMs = version >= 3 && r.bool();
            double dataMs = hasDataMs ? r.f64() : 0;
            r.expectEnd();
            long seconds = Math.floorDiv(micros, 1_000_000L);
            StepReport.check(jobId, workerId, step, seconds, stepTimeMs, computeMs, commMs, waitMs, hasDataMs, dataMs,
                    samples, batchSize, hasLoss, loss);
            into.set(jobId, workerId, step, seconds, (int) (micros - seconds * 1_000_000L) * 1000, stepTimeMs,
                    computeMs, commMs, waitMs, hasDataMs, dataMs, batchSize);
            return true;
        } catch (MalformedRecordException | InvalidTelemetryException e) {
            return false;
        }
    }

    /** Versions 1 and 2 end before the data-loading time. */
    private static StepReport readStep(WireReader r, int version) {
        return new StepReport(r.id(), r.id(), r.i64(), r.instant(), r.f64(), r.f64(), r.f64(), r.f64(),
                r.i32(), r.i32(), r.optionalDouble(),
                r.bool() ? Optional.of(new GradientStats(r.f64(), r.f64())) : Optional.empty(),
                version >= 3 ? r.optionalDouble() : OptionalDouble.empty());
    }

    private static void writeGpu(WireWriter w, GpuSample g) {
        w.string(g.nodeId()).instant(g.timestamp()).i32(g.index()).string(g.uuid()).string(g.name())
                .optionalDouble(g.utilizationPct()).i64(g.memoryUsedBytes()).i64(g.memoryTotalBytes())
                .optionalDouble(g.smClockMhz()).optionalDouble(g.smClockMaxMhz()).optionalDouble(g.powerW())
                .optionalDouble(g.powerLimitW()).optionalDouble(g.temperatureC()).i64(g.throttleReasons())
                .optionalDouble(g.pcieTxBytesPerSec()).optionalDouble(g.pcieRxBytesPerSec())
                .optionalDouble(g.nvlinkTxBytesPerSec()).optionalDouble(g.nvlinkRxBytesPerSec());
    }

    /**
     * Version 1 wrote utilization, SM clock, power and temperature as plain doubles (0 when the GPU did not report
     * them); version 2 writes them as optional doubles.
     */
    private static GpuSample readGpu(WireReader r, int version) {
        Supplier<OptionalDouble> reported = version == 1 ? () -> OptionalDouble.of(r.f64()) : r::optionalDouble;
        return new GpuSample(r.id(), r.instant(), r.i32(), r.id(), r.id(),
                reported.get(), r.i64(), r.i64(), reported.get(), r.optionalDouble(), reported.get(),
                r.optionalDouble(), reported.get(), r.i64(), r.optionalDouble(), r.optionalDouble(),
                r.optionalDouble(), r.optionalDouble());
    }

    private static void writeHost(WireWriter w, HostSample h) {
        w.string(h.nodeId()).instant(h.timestamp()).f64(h.cpuUtilPct()).f64(h.ioWaitPct())
                .i64(h.memoryTotalBytes()).i64(h.memoryAvailableBytes());
        w.list(h.nics(), (out, n) -> out.string(n.name()).f64(n.rxBytesPerSec()).f64(n.txBytesPerSec())
                .i64(n.rxErrors()).i64(n.txErrors()).i64(n.rxDropped()).i64(n.txDropped()));
        w.list(h.ibPorts(), (out, p) -> out.string(p.device()).i32(p.port()).f64(p.rxBytesPerSec())
                .f64(p.txBytesPerSec()).i64(p.symbolErrors()).i64(p.linkDowned()).i64(p.rcvErrors())
                .i64(p.xmitDiscards()));
    }

    private static HostSample readHost(WireReader r) {
        return new HostSample(r.id(), r.instant(), r.f64(), r.f64(), r.i64(), r.i64(),
                r.list(in -> new NicSample(in.id(), in.f64(), in.f64(), in.i64(), in.i64(), in.i64(), in.i64())),
                r.list(in -> new IbPortSample(in.id(), in.i32(), in.f64(), in.f64(), in.i64(), in.i64(),
                        in.i64(), in.i64())));
    }

    private static void writeTopology(WireWriter w, TopologyReport t) {
        w.string(t.nodeId()).instant(t.timestamp());
        w.list(t.gpus(), (out, g) -> out.i32(g.index()).string(g.uuid()).string(g.name()));
        w.list(t.gpuLinks(), (out, l) -> out.i32(l.gpuA()).i32(l.gpuB()).enumValue(l.kind()).i32(l.width()));
        w.list(t.nics(), (out, n) -> out.string(n.name()).enumValue(n.kind()).f64(n.speedBitsPerSec())
                .list(n.closestGpus(), WireWriter::i32).optionalString(n.switchId()));
    }

    private static TopologyReport readTopology(WireReader r) {
        return new TopologyReport(r.string(), r.instant(),
                r.list(in -> new TopologyReport.GpuInfo(in.i32(), in.string(), in.string())),
                r.list(in -> new TopologyReport.GpuLink(in.i32(), in.i32(),
                        in.enumValue(TopologyReport.LinkKind.values(), "link kind"), in.i32())),
                r.list(in -> new TopologyReport.NicInfo(in.string(),
                        in.enumValue(TopologyReport.NicKind.values(), "NIC kind"), in.f64(),
                        in.list(WireReader::i32), in.optionalString())));
    }

    private static void writeMembership(WireWriter w, JobMembership m) {
        w.string(m.jobId()).instant(m.timestamp()).enumValue(m.pattern()).i64(m.gradientBytes());
        w.list(m.members(), (out, p) -> out.string(p.workerId()).string(p.nodeId()).i32(p.gpuIndex())
                .enumValue(p.role()));
    }

    private static JobMembership readMembership(WireReader r) {
        return new JobMembership(r.string(), r.instant(),
                r.enumValue(JobMembership.CommPattern.values(), "communication pattern"), r.i64(),
                r.list(in -> new JobMembership.Member(in.string(), in.string(), in.i32(),
                        in.enumValue(JobMembership.Role.values(), "role"))));
    }

    private static void writeEvent(WireWriter w, JobEvent e) {
        w.string(e.jobId()).optionalString(e.workerId()).instant(e.timestamp()).string(e.kind());
        w.list(List.copyOf(e.attributes().entrySet()), (out, a) -> out.string(a.getKey()).string(a.getValue()));
    }

    private static JobEvent readEvent(WireReader r) {
        String job = r.string();
        Optional<String> worker = r.optionalString();
        var time = r.instant();
        String kind = r.string();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : r.list(in -> Map.entry(in.string(), in.string()))) {
            if (attributes.put(a.getKey(), a.getValue()) != null) {
                throw new MalformedRecordException("attribute " + a.getKey() + " appears twice");
            }
        }
        return new JobEvent(job, worker, time, kind, attributes);
    }
}
