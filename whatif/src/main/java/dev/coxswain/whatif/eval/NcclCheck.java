package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.LeastSquares;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the collective protocol model against published nccl-tests all-reduce bus bandwidth. The model of one
 * all-reduce of {@code S} bytes on {@code n} GPUs: {@code t(S) = a + V S / (B min(1, (S / S_sat)^p))} with
 * {@code V = 2(n-1)/n}; bus bandwidth {@code V S / t}. {@code B} is the system's link rate (taken as the published
 * bus bandwidth at the largest message), {@code a} the fixed latency, and {@code S_sat, p} describe how NCCL opens
 * channels as messages grow. {@code a, S_sat, p} are fitted once, on the A100 table, and reused unchanged for H100
 * and H200 (same 8-GPU NVSwitch node); the two-node systems (GCP A3 Mega, AWS p4d over EFA) take their latency from
 * their own smallest message.
 * Every size from 1 MiB up is then predicted and compared.
 */
public final class NcclCheck {
    static final double MIN_BYTES = 1 << 20;
    /** nccl-tests output of 2 x p4d.24xlarge over EFA, inside the launcher's log. */
    static final String P4D_LOG = "p4d-2node-16xA100-efa_nccl-tests-allreduce_NCCL_DEBUG-INFO_aws-efa-eks.log";

    /** One system's worst and mean relative error over sizes >= 1 MiB. */
    public record SystemResult(String system, int sizes, double maxErrPct, double meanErrPct) {
    }

    private record Curve(String system, int gpus, double[] size, double[] busbw, double latencySec) {
    }

    private final Path dir;

    public NcclCheck(Path dir) {
        this.dir = dir;
    }

    public List<SystemResult> run(PrintStream out) {
        List<Curve> curves = load();
        Curve a100 = curves.get(0);
        double[] protocol = calibrate(a100);
        out.printf(Locale.ROOT, "protocol model fitted on %s: latency %.1f us, channels saturate at %.0f MB,"
                + " exponent %.3f%n", a100.system(), protocol[0] * 1e6, protocol[1] / 1e6, protocol[2]);
        out.printf(Locale.ROOT, "%-18s %5s %9s %9s  %s%n", "system", "sizes", "max err%", "mean err%",
                "predicted/published busbw per size from 1 MiB");
        List<SystemResult> results = new ArrayList<>();
        for (Curve c : curves) {
            double a = c.system().startsWith("azure") ? protocol[0] : c.latencySec();
            double peak = c.busbw()[c.busbw().length - 1];
            StringBuilder detail = new StringBuilder();
            double max = 0;
            double sum = 0;
            int k = 0;
            for (int i = 0; i < c.size().length; i++) {
                if (c.size()[i] < MIN_BYTES) {
                    continue;
                }
                double pred = busbw(c.size()[i], c.gpus(), peak, a, protocol[1], protocol[2]);
                double err = 100 * (pred / c.busbw()[i] - 1);
                max = Math.max(max, Math.abs(err));
                sum += Math.abs(err);
                k++;
                detail.append(String.format(Locale.ROOT, " %+.0f", err));
            }
            SystemResult r = new SystemResult(c.system(), k, max, sum / Math.max(k, 1));
            out.printf(Locale.ROOT, "%-18s %5d %9.1f %9.1f %s%n", r.system(), r.sizes(), r.maxErrPct(),
                    r.meanErrPct(), detail);
            results.add(r);
        }
        return results;
    }

    static double busbw(double bytes, int gpus, double peakBytesPerSec, double latency, double sat, double p) {
        double v = 2.0 * (gpus - 1) / gpus;
        double ramp = Math.min(1, Math.pow(bytes / sat, p));
        double t = latency + v * bytes / (peakBytesPerSec * ramp);
        return v * bytes / t;
    }

    private static double[] calibrate(Curve c) {
        double peak = c.busbw()[c.busbw().length - 1];
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < c.size().length; i++) {
            if (c.size()[i] >= MIN_BYTES) {
                idx.add(i);
            }
        }
        LeastSquares ls = new LeastSquares(x -> {
            double[] r = new double[idx.size()];
            for (int j = 0; j < r.length; j++) {
                int i = idx.get(j);
                r[j] = Math.log(busbw(c.size()[i], c.gpus(), peak, Math.exp(x[0]), Math.exp(x[1]), x[2])
                        / c.busbw()[i]);
            }
            return r;
        }, new LeastSquares.Options(500, Double.POSITIVE_INFINITY, 1e-14));
        double[] x = ls.minimise(new double[]{Math.log(20e-6), Math.log(300e6), 0.2}).x();
        return new double[]{Math.exp(x[0]), Math.exp(x[1]), x[2]};
    }

    private List<Curve> load() {
        List<Curve> curves = new ArrayList<>();
        CsvTable azure = new CsvTable(dir.resolve("allreduce_busbw_8gpu_single_node_azure.csv"));
        Map<String, List<double[]>> bySystem = new LinkedHashMap<>();
        for (int i = 0; i < azure.size(); i++) {
            bySystem.computeIfAbsent(azure.text(i, "system_id"), k -> new ArrayList<>())
                    .add(new double[]{azure.number(i, "size_bytes"), azure.number(i, "busbw_GBps") * 1e9,
                        azure.number(i, "n_gpus")});
        }
        bySystem.forEach((name, rows) -> {
            double[] s = rows.stream().mapToDouble(r -> r[0]).toArray();
            double[] b = rows.stream().mapToDouble(r -> r[1]).toArray();
            int n = (int) rows.get(0)[2];
            curves.add(new Curve(name, n, s, b, 2.0 * (n - 1) / n * s[0] / b[0]));
        });
        CsvTable gcp = new CsvTable(dir.resolve("allreduce_16gpu_2node_h100_gcp_a3mega.csv"));
        List<double[]> rows = new ArrayList<>();
        double smallest = gcp.number(0, "ip_time_us") * 1e-6;
        for (int i = 0; i < gcp.size(); i++) {
            if (gcp.number(i, "ip_busbw_GBps") > 0) {
                rows.add(new double[]{gcp.number(i, "size_bytes"), gcp.number(i, "ip_busbw_GBps") * 1e9});
            }
        }
        curves.add(new Curve("gcp_a3mega_2x8", 16, rows.stream().mapToDouble(r -> r[0]).toArray(),
                rows.stream().mapToDouble(r -> r[1]).toArray(), smallest));
        NcclTestsOutput.Run p4d = NcclTestsOutput.read(dir.resolve(P4D_LOG));
        List<NcclTestsOutput.Row> measured = p4d.rows().stream().filter(r -> r.ipBusBytesPerSec() > 0).toList();
        curves.add(new Curve("aws_p4d_2x8", p4d.ranks(),
                measured.stream().mapToDouble(NcclTestsOutput.Row::sizeBytes).toArray(),
                measured.stream().mapToDouble(NcclTestsOutput.Row::ipBusBytesPerSec).toArray(),
                p4d.rows().get(0).ipTimeSec()));
        CsvTable pcie = new CsvTable(dir.resolve("allreduce_2gpu_h100_pcie_nvlink_bridge.csv"));
        double[] s = new double[pcie.size()];
        double[] b = new double[pcie.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = pcie.number(i, "size_bytes");
            b[i] = pcie.number(i, "oop_busbw_GBps") * 1e9;
        }
        curves.add(new Curve("h100_pcie_2gpu", 2, s, b, 20e-6));
        return curves;
    }
}
