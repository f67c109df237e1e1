package dev.coxswain.whatif.spec;

import dev.coxswain.core.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Clusters built from public specifications, by name. Every figure is a vendor's published number unless the
 * comment says it is an assumption.
 */
public final class ClusterPresets {
    private static final double GB = 1e9;
    private static final double GBIT = 1e9 / 8;
    private static final double US = 1e-6;
    private static final double NONE = Double.POSITIVE_INFINITY;

    private static final Map<String, Supplier<ClusterSpec>> PRESETS = Collections.unmodifiableMap(
            new TreeMap<>(Map.of(
            "dgx-h100", ClusterPresets::dgxH100,
            "hgx-a100", ClusterPresets::hgxA100,
            "g4dn-12xlarge", ClusterPresets::g4dn12xlarge,
            "pai-2020", ClusterPresets::pai2020)));

    private ClusterPresets() {
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    public static boolean exists(String name) {
        return PRESETS.containsKey(name);
    }

    /** @throws IllegalArgumentException naming the known presets */
    public static ClusterSpec get(String name) {
        Supplier<ClusterSpec> s = PRESETS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no cluster preset '" + name + "'; presets: " + names());
        }
        return s.get();
    }

    /**
     * 128 NVIDIA DGX H100 (1,024 GPUs): 8 H100 SXM5 on NVSwitch (NVLink 4, 900 GB/s per GPU both directions), eight
     * 400 Gbit/s ConnectX-7 InfiniBand ports per node, a non-blocking two-tier fat tree of 32-node units as in the
     * DGX SuperPOD reference architecture.
     */
    static ClusterSpec dgxH100() {
        GpuType h100 = new GpuType("H100-SXM5-80GB", 989, 80);
        NodeGroup g = new NodeGroup("dgx", 128, h100, 8, new Fabric(Fabric.Kind.NVSWITCH, 450 * GB, 64 * GB, 3 * US),
                new Nics(8, 400 * GBIT, NONE, NONE, 5 * US));
        return new ClusterSpec("dgx-h100", List.of(g), List.of(new SwitchTier("leaf", 32, 1, 1 * US),
                new SwitchTier("spine", 4, 1, 1 * US)));
    }

    /**
     * 128 HGX A100 nodes: 8 A100 SXM4 80GB on NVSwitch (NVLink 3, 600 GB/s per GPU both directions), eight 200 Gbit/s
     * HDR InfiniBand ports per node, non-blocking two-tier fat tree of 20-node leaves (40-port HDR switches).
     */
    static ClusterSpec hgxA100() {
        GpuType a100 = new GpuType("A100-SXM4-80GB", 312, 80);
        NodeGroup g = new NodeGroup("hgx", 128, a100, 8, new Fabric(Fabric.Kind.NVSWITCH, 300 * GB, 32 * GB, 3 * US),
                new Nics(8, 200 * GBIT, NONE, NONE, 5 * US));
        return new ClusterSpec("hgx-a100", List.of(g), List.of(new SwitchTier("leaf", 20, 1, 1 * US),
                new SwitchTier("spine", 8, 1, 1 * US)));
    }

    /**
     * 16 AWS g4dn.12xlarge (the hardware of the Pollux traces): 4 NVIDIA T4 on PCIe 3.0 x16 without peer-to-peer,
     * one 50 Gbit/s ENA interface. AWS documents a limit of 5 Gbit/s for one flow between instances outside a
     * cluster placement group. Latency of ENA TCP between instances is an assumption (50 us).
     */
    static ClusterSpec g4dn12xlarge() {
        GpuType t4 = new GpuType("T4", 65, 16);
        NodeGroup g = new NodeGroup("g4dn", 16, t4, 4, new Fabric(Fabric.Kind.PCIE, 15.75 * GB, 32 * GB, 10 * US),
                new Nics(1, 50 * GBIT, 5 * GBIT, NONE, 50 * US));
        return new ClusterSpec("g4dn-12xlarge", List.of(g), List.of(new SwitchTier("vpc", 16, 1, 10 * US)));
    }

    /**
     * The GPU machines of Alibaba PAI's 2020 trace (1,814 of its 1,897 hosts; the 83 CPU-only hosts are left out),
     * counted from {@code pai_machine_spec}. GPU rates are vendor figures; the trace names no network, so the NICs
     * (one 25 Gbit/s Ethernet port per node), the fabric of the unnamed {@code MISC} type (PCIe, P100-class) and the
     * switches (32-node leaves, 2:1 oversubscribed, under a non-blocking spine) are assumptions.
     */
    static ClusterSpec pai2020() {
        List<NodeGroup> groups = new ArrayList<>();
        Nics nic = new Nics(1, 25 * GBIT, NONE, NONE, 20 * US);
        Fabric pcie = new Fabric(Fabric.Kind.PCIE, 15.75 * GB, 32 * GB, 10 * US);
        Fabric nvlink = new Fabric(Fabric.Kind.NVLINK, 150 * GB, 32 * GB, 5 * US);
        for (String[] row : paiRows()) {
            String type = row[0];
            int gpus = Integer.parseInt(row[3]);
            int machines = Integer.parseInt(row[4]);
            if (gpus == 0) {
                continue;
            }
            GpuType gpu = switch (type) {
                case "P100" -> new GpuType("P100-PCIE-16GB", 18.7, 16);
                case "T4" -> new GpuType("T4", 65, 16);
                case "V100" -> new GpuType("V100-SXM2-16GB", 125, 16);
                case "V100M32" -> new GpuType("V100-SXM2-32GB", 125, 32);
                default -> new GpuType(type, 18.7, 16);
            };
            boolean sxm = type.startsWith("V100");
            String name = (type + "-" + row[1] + "c" + row[2] + "g").toLowerCase(java.util.Locale.ROOT);
            groups.add(new NodeGroup(name, machines, gpu, gpus, sxm ? nvlink : pcie, nic));
        }
        return new ClusterSpec("pai-2020", groups, List.of(new SwitchTier("leaf", 32, 2, 2 * US),
                new SwitchTier("spine", 64, 1, 2 * US)));
    }

    private static List<String[]> paiRows() {
        String res = "pai-2020-machines.csv";
        try (InputStream in = ClusterPresets.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("resource " + res + " missing from the build");
            }
            List<String[]> rows = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int line = 0;
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                line++;
                if (s.startsWith("#") || s.startsWith("gpu_type") || s.isBlank()) {
                    continue;
                }
                String[] cells = s.split(",");
                if (cells.length != 5) {
                    throw new BadInputException(res, line, "row", "expected 5 columns, found " + cells.length);
                }
                rows.add(cells);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
