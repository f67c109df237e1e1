package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.core.telemetry.TopologyReport.GpuLink;
import dev.coxswain.core.telemetry.TopologyReport.LinkKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the tab-separated matrix of {@code nvidia-smi topo -m}: a header line of device columns (GPU0..GPUn, then
 * NICs named either directly, {@code mlx5_0}, or NIC0..NICn resolved through the "NIC Legend" below the matrix)
 * followed by affinity columns ({@code CPU Affinity}, {@code NUMA Affinity}, {@code GPU NUMA ID}); one row per
 * device; then the legend. Terminal escapes (the header is underlined when printed to a terminal) are removed.
 * Connection codes: {@code X} (self), {@code NV#} (# bonded NVLinks), {@code PIX}, {@code PXB}, {@code PHB},
 * {@code NODE}, {@code SYS} (and {@code SOC}, its name in old drivers). Pure and thread-safe.
 */
public final class NvidiaSmiTopo {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern GPU = Pattern.compile("GPU(\\d{1,4})");
    private static final Pattern NVLINK = Pattern.compile("NV(\\d{1,2})");
    private static final Pattern LEGEND_NIC = Pattern.compile("\\s*(NIC\\d+)\\s*:\\s*(\\S+)\\s*");

    private NvidiaSmiTopo() {
    }

    /** @throws SourceFormatException naming the source and line of what could not be read */
    public static TopoMatrix parse(String text, String source) {
        String[] lines = ANSI.matcher(text).replaceAll("").split("\r?\n", -1);
        int header = 0;
        while (header < lines.length && lines[header].isBlank()) {
            header++;
        }
        if (header == lines.length || !lines[header].contains("\t")) {
            throw new SourceFormatException(source, header == lines.length ? 0 : header + 1,
                    "expected the tab-separated header of the topology matrix");
        }
        List<String> columns = Arrays.stream(lines[header].split("\t")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        Map<String, String[]> rows = new LinkedHashMap<>();
        Map<String, Integer> rowLine = new HashMap<>();
        int i = header + 1;
        for (; i < lines.length && !lines[i].isBlank(); i++) {
            String[] cells = lines[i].split("\t", -1);
            rows.put(cells[0].trim(), cells);
            rowLine.put(cells[0].trim(), i + 1);
        }
        Map<String, String> legend = nicLegend(lines, i);
        int devices = 0;
        while (devices < columns.size() && rows.containsKey(columns.get(devices))) {
            devices++;
        }
        if (devices == 0) {
            throw new SourceFormatException(source, header + 1, "no column of the header names a row of the matrix");
        }
        return build(columns, devices, rows, rowLine, legend, source);
    }

    private static TopoMatrix build(List<String> columns, int devices, Map<String, String[]> rows,
                                    Map<String, Integer> rowLine, Map<String, String> legend, String source) {
        List<Integer> gpus = new ArrayList<>();
        List<GpuLink> links = new ArrayList<>();
        Map<String, Map<Integer, String>> nics = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> affinities = new LinkedHashMap<>();
        for (String device : columns.subList(0, devices)) {
            String[] cells = rows.get(device);
            int line = rowLine.get(device);
            if (cells.length < devices + 1) {
                throw new SourceFormatException(source, line, "expected " + devices + " connection codes after '"
                        + device + "', found " + (cells.length - 1));
            }
            Matcher gpu = GPU.matcher(device);
            if (!gpu.matches()) {
                continue; // a NIC row: its codes to GPUs are read from the GPU rows
            }
            int a = Integer.parseInt(gpu.group(1));
            gpus.add(a);
            affinities.put(a, affinity(columns, devices, cells));
            for (int c = 0; c < devices; c++) {
                String code = cells[c + 1].trim();
                String other = columns.get(c);
                Matcher peer = GPU.matcher(other);
                if (peer.matches()) {
                    int b = Integer.parseInt(peer.group(1));
                    if (a < b) {
                        try {
                            links.add(link(a, b, code, source, line));
                        } catch (InvalidTelemetryException e) {
                            throw new SourceFormatException(source, line, device + " to " + other + ": "
                                    + e.getMessage());
                        }
                    }
                } else {
                    check(code, source, line);
                    nics.computeIfAbsent(legend.getOrDefault(other, other), n -> new LinkedHashMap<>()).put(a, code);
                }
            }
        }
        return new TopoMatrix(gpus, links, nics, affinities);
    }

    /** Affinity values in header order; nvidia-smi sometimes puts an empty cell before the last, so empties go. */
    private static Map<String, String> affinity(List<String> columns, int devices, String[] cells) {
        List<String> values = Arrays.stream(cells).skip(devices + 1L).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < values.size() && devices + k < columns.size(); k++) {
            if (!values.get(k).equals("N/A")) {
                out.put(columns.get(devices + k), values.get(k));
            }
        }
        return out;
    }

    private static GpuLink link(int a, int b, String code, String source, int line) {
        Matcher nv = NVLINK.matcher(code);
        if (nv.matches()) {
            return new GpuLink(a, b, LinkKind.NVLINK, Integer.parseInt(nv.group(1)));
        }
        return new GpuLink(a, b, kind(code, source, line), 1);
    }

    private static void check(String code, String source, int line) {
        if (!NVLINK.matcher(code).matches() && !code.equals("X")) {
            kind(code, source, line);
        }
    }

    private static LinkKind kind(String code, String source, int line) {
        return switch (code) {
            case "PIX" -> LinkKind.PCIE_SWITCH;
            case "PXB" -> LinkKind.PCIE_SWITCHES;
            case "PHB" -> LinkKind.PCIE_HOST_BRIDGE;
            case "NODE" -> LinkKind.NUMA_NODE;
            case "SYS", "SOC" -> LinkKind.SYSTEM;
            default -> throw new SourceFormatException(source, line, "unknown connection code '"
                    + CsvRow.shorten(code) + "' (known: X, NV#, PIX, PXB, PHB, NODE, SYS)");
        };
    }

    /** The "NIC Legend" section below the matrix: NIC0 -> mlx5_0. */
    private static Map<String, String> nicLegend(String[] lines, int from) {
        Map<String, String> legend = new HashMap<>();
        boolean inLegend = false;
        for (int i = from; i < lines.length; i++) {
            if (lines[i].trim().equals("NIC Legend:")) {
                inLegend = true;
            } else if (inLegend) {
                Matcher m = LEGEND_NIC.matcher(lines[i]);
                if (m.matches()) {
                    legend.put(m.group(1), m.group(2));
                }
            }
        }
        return legend;
    }
}
