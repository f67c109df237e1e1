package dev.coxswain.agent;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's configuration (keys {@code agent.*}).
 *
 * @param nodeId         this node's id in telemetry; defaults to the host name
 * @param intakeHost     the address the intake binds, normally loopback
 * @param intakePort     the intake's port; 0 picks a free one (tests)
 * @param sampleInterval how often hosts and GPUs are sampled
 * @param bufferCapacity records held while Kafka is unreachable before the oldest are dropped
 * @param nvidiaSmiPath  the nvidia-smi command (a path, or a name looked up on PATH); empty disables it
 * @param dcgmUrl        a dcgm-exporter metrics URL; when present GPU samples come from it instead of nvidia-smi
 * @param procRoot       where procfs is mounted (a copy in tests)
 * @param sysRoot        where sysfs is mounted (a fake tree in tests)
 * @param spoolDir       where accepted records are written before they are queued, so that they survive the
 *                       agent's crash or restart; empty: memory only
 * @param spoolMaxBytes  the spool's bound on disk
 */
public record AgentSettings(String nodeId, String intakeHost, int intakePort, Duration sampleInterval,
                            int bufferCapacity, String nvidiaSmiPath, Optional<URI> dcgmUrl, Path procRoot,
                            Path sysRoot, Optional<Path> spoolDir, long spoolMaxBytes) {

    public static final String NODE_ID = "agent.node.id";
    public static final String INTAKE_HOST = "agent.intake.host";
    public static final String INTAKE_PORT = "agent.intake.port";
    public static final String SAMPLE_INTERVAL = "agent.sample.interval";
    public static final String BUFFER_CAPACITY = "agent.buffer.capacity";
    public static final String NVIDIA_SMI_PATH = "agent.nvidia-smi.path";
    public static final String DCGM_URL = "agent.dcgm.url";
    public static final String PROC_ROOT = "agent.proc.root";
    public static final String SYS_ROOT = "agent.sys.root";
    public static final String SPOOL_DIR = "agent.spool.dir";
    public static final String SPOOL_MAX_BYTES = "agent.spool.max.bytes";

    public static final int DEFAULT_PORT = 7070;
    public static final int DEFAULT_CAPACITY = 100_000;
    public static final long DEFAULT_SPOOL_BYTES = 256L << 20;
    private static final long MIN_SPOOL_BYTES = 1L << 20;
    private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,127}";

    public AgentSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!nodeId.matches(ID_PATTERN)) {
            throw new ConfigException(NODE_ID + " = '" + nodeId + "': must be an identifier (letters, digits, "
                    + "._:/@+=-, at most 128)");
        }
        Objects.requireNonNull(intakeHost, "intakeHost");
        if (intakePort < 0 || intakePort > 65_535) {
            throw new ConfigException(INTAKE_PORT + " = " + intakePort + ": must be 0..65535");
        }
        if (sampleInterval.compareTo(Duration.ofMillis(100)) < 0 || sampleInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(SAMPLE_INTERVAL + " = " + sampleInterval + ": must be 100ms..1h");
        }
        if (bufferCapacity < 1) {
            throw new ConfigException(BUFFER_CAPACITY + " = " + bufferCapacity + ": must be at least 1");
        }
        Objects.requireNonNull(nvidiaSmiPath, "nvidiaSmiPath");
        Objects.requireNonNull(dcgmUrl, "dcgmUrl");
        Objects.requireNonNull(procRoot, "procRoot");
        Objects.requireNonNull(sysRoot, "sysRoot");
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (spoolMaxBytes < MIN_SPOOL_BYTES) {
            throw new ConfigException(SPOOL_MAX_BYTES + " = " + spoolMaxBytes + ": must be at least "
                    + MIN_SPOOL_BYTES);
        }
    }

    /** Declares the agent's keys; the spool defaults to {@code <stateDir>/agent-spool}. */
    public static ConfigDef define(ConfigDef def, Path stateDir) {
        return def
                .define(NODE_ID, ConfigDef.Type.STRING, "", (String s) -> s.isEmpty() || s.matches(ID_PATTERN),
                        "an identifier (letters, digits, ._:/@+=-), or empty for the host name",
                        "This node's id in telemetry. Empty: the host name.")
                .define(INTAKE_HOST, ConfigDef.Type.STRING, "127.0.0.1",
                        "Address the intake binds. Keep it on loopback: the intake has no authentication.")
                .define(INTAKE_PORT, ConfigDef.Type.INT, DEFAULT_PORT, (Integer p) -> p >= 0 && p <= 65_535,
                        "0..65535", "Port of the intake training processes report to (0: any free port).")
                .define(SAMPLE_INTERVAL, ConfigDef.Type.DURATION, Duration.ofSeconds(1),
                        (Duration d) -> d.compareTo(Duration.ofMillis(100)) >= 0
                                && d.compareTo(Duration.ofHours(1)) <= 0, "100ms..1h",
                        "How often host and GPU counters are sampled.")
                .define(BUFFER_CAPACITY, ConfigDef.Type.INT, DEFAULT_CAPACITY,
                        (Integer n) -> n >= 1 && n <= 10_000_000, "1..10000000",
                        "Records held while Kafka is unreachable; beyond it the oldest are dropped and counted.")
                .define(NVIDIA_SMI_PATH, ConfigDef.Type.STRING, "nvidia-smi",
                        "The nvidia-smi command, a path or a name on PATH. Empty: do not sample GPUs.")
                .define(DCGM_URL, ConfigDef.Type.STRING, "",
                        (String s) -> s.isEmpty() || s.startsWith("http://") || s.startsWith("https://"),
                        "empty or an http(s) URL",
                        "dcgm-exporter metrics URL (e.g. http://localhost:9400/metrics). Set: GPU samples come "
                                + "from it instead of nvidia-smi.")
                .define(PROC_ROOT, ConfigDef.Type.PATH, Path.of("/proc"), "Where procfs is mounted.")
                .define(SYS_ROOT, ConfigDef.Type.PATH, Path.of("/sys"), "Where sysfs is mounted.")
                .define(SPOOL_DIR, ConfigDef.Type.STRING, stateDir.resolve("agent-spool").toString(),
                        "Directory of the write-ahead spool: every record the agent accepts is written here before "
                                + "the intake answers, and sent after a crash or restart if Kafka did not have it. "
                                + "One agent per directory. Empty: memory only (a crash loses the buffer).")
                .define(SPOOL_MAX_BYTES, ConfigDef.Type.LONG, DEFAULT_SPOOL_BYTES,
                        (Long n) -> n >= MIN_SPOOL_BYTES, "at least 1048576",
                        "The spool's bound on disk; past it the oldest records lose their copy on disk (counted).");
    }

    public static AgentSettings from(Config config) {
        String node = config.getOptionalString(NODE_ID).orElseGet(AgentSettings::hostName);
        return new AgentSettings(node, config.getString(INTAKE_HOST), config.getInt(INTAKE_PORT),
                config.getDuration(SAMPLE_INTERVAL), config.getInt(BUFFER_CAPACITY),
                config.getOptionalString(NVIDIA_SMI_PATH).orElse(""),
                config.getOptionalString(DCGM_URL).map(URI::create), config.getPath(PROC_ROOT),
                config.getPath(SYS_ROOT), config.getOptionalString(SPOOL_DIR).map(Path::of),
                config.getLong(SPOOL_MAX_BYTES));
    }

    /** Every default but the spool (memory only), with the given node id: for tests and the simulator. */
    public static AgentSettings defaults(String nodeId) {
        return new AgentSettings(nodeId, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(1), DEFAULT_CAPACITY,
                "nvidia-smi", Optional.empty(), Path.of("/proc"), Path.of("/sys"), Optional.empty(),
                DEFAULT_SPOOL_BYTES);
    }

    public AgentSettings withIntakePort(int port) {
        return new AgentSettings(nodeId, intakeHost, port, sampleInterval, bufferCapacity, nvidiaSmiPath, dcgmUrl,
                procRoot, sysRoot, spoolDir,
                spoolMaxBytes);
    }

    public AgentSettings withBufferCapacity(int capacity) {
        return new AgentSettings(nodeId, intakeHost, intakePort, sampleInterval, capacity, nvidiaSmiPath, dcgmUrl,
                procRoot, sysRoot, spoolDir,
                spoolMaxBytes);
    }

    public AgentSettings withGpuSources(String nvidiaSmi, Optional<URI> dcgm) {
        return new AgentSettings(nodeId, intakeHost, intakePort, sampleInterval, bufferCapacity, nvidiaSmi, dcgm,
                procRoot, sysRoot, spoolDir,
                spoolMaxBytes);
    }

    public AgentSettings withSpool(Optional<Path> dir, long maxBytes) {
        return new AgentSettings(nodeId, intakeHost, intakePort, sampleInterval, bufferCapacity, nvidiaSmiPath,
                dcgmUrl, procRoot, sysRoot, dir, maxBytes);
    }

    public AgentSettings withRoots(Path proc, Path sys) {
        return new AgentSettings(nodeId, intakeHost, intakePort, sampleInterval, bufferCapacity, nvidiaSmiPath,
                dcgmUrl, proc, sys, spoolDir, spoolMaxBytes);
    }

    /** The host name as an identifier: the kernel's, else the resolver's, with other characters made '-'. */
    static String hostName() {
        String name = null;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: ask the resolver
        }
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        String id = name.replaceAll("[^A-Za-z0-9._:/@+=-]", "-");
        if (!Character.isLetterOrDigit(id.charAt(0))) {
            id = "n" + id;
        }
        return id.length() > 128 ? id.substring(0, 128) : id;
    }
}
