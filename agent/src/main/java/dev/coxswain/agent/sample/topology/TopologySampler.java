package dev.coxswain.agent.sample.topology;

import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.agent.sample.gpu.CsvRow;
import dev.coxswain.agent.sample.gpu.GpuQuery;
import dev.coxswain.agent.sample.gpu.NvidiaSmi;
import dev.coxswain.agent.sample.gpu.TopoMatrix;
import dev.coxswain.agent.sample.host.InfinibandReader;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.telemetry.TopologyReport.GpuInfo;
import dev.coxswain.core.telemetry.TopologyReport.GpuLink;
import dev.coxswain.core.telemetry.TopologyReport.NicInfo;
import dev.coxswain.core.telemetry.TopologyReport.NicKind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Discovers the node's hardware at the first sample and again every {@code recheck}, and emits a
 * {@link TopologyReport} at the first discovery and whenever the hardware differs from the last report. GPUs come
 * from nvidia-smi (index, UUID, name, and the {@code topo -m} matrix for links and NIC affinity); NICs from
 * {@code /sys/class/infiniband} (RDMA devices, named as nvidia-smi names them) and {@code /sys/class/net} (physical
 * interfaces). A NIC that only the matrix names is taken to be InfiniBand of unknown speed. When nvidia-smi exists
 * but fails, the discovery is skipped rather than reported as a node without GPUs.
 */
public final class TopologySampler implements Sampler {
    private static final int MAX_NICS = 256;

    private final String nodeId;
    private final NvidiaSmi nvidiaSmi;
    private final InfinibandReader infiniband;
    private final Path net;
    private final Duration recheck;
    private final SampleErrors errors;
    private Instant lastCheck;
    private TopologyReport last;

    public TopologySampler(String nodeId, NvidiaSmi nvidiaSmi, Path sysRoot, Duration recheck, SampleErrors errors) {
        this.nodeId = nodeId;
        this.nvidiaSmi = nvidiaSmi;
        this.infiniband = new InfinibandReader(sysRoot);
        this.net = sysRoot.resolve("class").resolve("net");
        this.recheck = recheck;
        this.errors = errors;
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public List<TopologyReport> sample(Instant now) {
        if (lastCheck != null && now.isBefore(lastCheck.plus(recheck))) {
            return List.of();
        }
        lastCheck = now;
        Optional<TopologyReport> found = discover(now);
        if (found.isEmpty() || last != null && sameHardware(found.get(), last)) {
            return List.of();
        }
        last = found.get();
        return List.of(last);
    }

    /** The node's hardware now, or empty when nvidia-smi exists but could not be read. */
    Optional<TopologyReport> discover(Instant now) {
        List<GpuInfo> gpus = new ArrayList<>();
        TopoMatrix matrix = new TopoMatrix(List.of(), List.of(), Map.of(), Map.of());
        if (!nvidiaSmi.absent()) {
            Optional<List<CsvRow>> rows = nvidiaSmi.queryGpus();
            if (rows.isEmpty() && !nvidiaSmi.absent()) {
                return Optional.empty();
            }
            try {
                for (CsvRow row : rows.orElse(List.of())) {
                    gpus.add(new GpuInfo(row.integer(GpuQuery.INDEX), row.required(GpuQuery.UUID),
                            row.required(GpuQuery.NAME)));
                }
            } catch (SourceFormatException | InvalidTelemetryException e) {
                errors.record("topology", e.getMessage());
                return Optional.empty();
            }
            if (!gpus.isEmpty()) {
                Optional<TopoMatrix> m = nvidiaSmi.topology();
                if (m.isEmpty()) {
                    return Optional.empty();
                }
                matrix = m.get();
            }
        }
        try {
            Set<Integer> known = new HashSet<>(gpus.stream().map(GpuInfo::index).toList());
            List<GpuLink> links = matrix.links().stream()
                    .filter(l -> known.contains(l.gpuA()) && known.contains(l.gpuB())).toList();
            return Optional.of(new TopologyReport(nodeId, now, gpus, links, nics(matrix, known)));
        } catch (SourceFormatException | InvalidTelemetryException | IOException e) {
            errors.record("topology", e.getMessage());
            return Optional.empty();
        }
    }

    private List<NicInfo> nics(TopoMatrix matrix, Set<Integer> gpus) throws IOException {
        Map<String, NicInfo> nics = new TreeMap<>();
        for (String device : infiniband.devices()) {
            String layer = read(infiniband.rateFile(device, 1).resolveSibling("link_layer")).orElse("InfiniBand");
            nics.put(device, new NicInfo(device, layer.equalsIgnoreCase("Ethernet") ? NicKind.ETHERNET
                    : NicKind.INFINIBAND, infiniband.rateBitsPerSec(device, 1).orElse(0.0),
                    closest(matrix, device, gpus), Optional.empty()));
        }
        for (Path iface : physicalInterfaces()) {
            String name = iface.getFileName().toString();
            double speedMbps = read(iface.resolve("speed")).flatMap(TopologySampler::number).orElse(0.0);
            NicKind kind = read(iface.resolve("type")).orElse("1").equals("32") ? NicKind.INFINIBAND
                    : NicKind.ETHERNET;
            nics.putIfAbsent(name, new NicInfo(name, kind, Math.max(0, speedMbps) * 1e6,
                    closest(matrix, name, gpus), Optional.empty()));
        }
        for (String name : matrix.nics().keySet()) {
            nics.putIfAbsent(name, new NicInfo(name, NicKind.INFINIBAND, 0, closest(matrix, name, gpus),
                    Optional.empty()));
        }
        return nics.values().stream().limit(MAX_NICS).toList();
    }

    private static List<Integer> closest(TopoMatrix matrix, String nic, Set<Integer> gpus) {
        return matrix.closestGpus(nic).stream().filter(gpus::contains).toList();
    }

    /** Interfaces backed by a device (not lo, bridges, veths or other virtual ones), sorted by name. */
    private List<Path> physicalInterfaces() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(net)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(net)) {
            for (Path p : entries) {
                if (Files.exists(p.resolve("device"))) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty(); // speed of a link that is down, a driver without the file
        }
    }

    private static Optional<Double> number(String text) {
        try {
            return Optional.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean sameHardware(TopologyReport a, TopologyReport b) {
        return a.gpus().equals(b.gpus()) && a.gpuLinks().equals(b.gpuLinks()) && a.nics().equals(b.nics());
    }
}
