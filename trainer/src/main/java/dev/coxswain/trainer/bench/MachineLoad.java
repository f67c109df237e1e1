package dev.coxswain.trainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How busy this (Linux) machine is, from {@code /proc/stat}: the share of CPU time spent outside idle and I/O wait
 * over a window. On a machine shared with other work, a benchmark waits for a quiet moment before each run, so that
 * the runs it compares start alike. Where {@code /proc/stat} is missing it reports 0 (never waits).
 */
final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");

    private MachineLoad() {
    }

    /** Busy share of all CPUs over {@code window}, in [0, 1]. */
    static double busy(Duration window) throws InterruptedException {
        long[] a = sample();
        Thread.sleep(window.toMillis());
        long[] b = sample();
        long total = b[0] - a[0];
        return total <= 0 ? 0 : Math.max(0, Math.min(1, 1 - (b[1] - a[1]) / (double) total));
    }

    /** Waits, up to {@code max}, until the machine is less than {@code quiet} busy; returns the last reading. */
    static double awaitQuiet(double quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        double busy = busy(Duration.ofSeconds(2));
        while (busy >= quiet && System.nanoTime() < deadline) {
            busy = busy(Duration.ofSeconds(2));
        }
        return busy;
    }

    /** {total jiffies, idle + iowait jiffies} of the aggregate cpu line. */
    private static long[] sample() {
        try {
            String line = Files.readAllLines(STAT).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }
}
