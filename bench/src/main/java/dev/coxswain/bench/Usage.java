package dev.coxswain.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's CPU and garbage-collection time at one moment; two of them say how many cores an interval used
 * and how much of it went to collections. On a machine shared with other work, "cores used" tells a slow run
 * that was starved of CPU from one that was busy.
 */
record Usage(long wallNanos, long processCpuNanos, long gcMillis) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static Usage now() {
        long gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new Usage(System.nanoTime(), cpu, gc);
    }

    /** E.g. {@code process 1.62 cores, GC 8% of wall}. */
    String since(Usage start) {
        double wall = wallNanos - start.wallNanos;
        return String.format("process %.2f cores, GC %.0f%% of wall", (processCpuNanos - start.processCpuNanos) / wall,
                100 * (gcMillis - start.gcMillis) * 1e6 / wall);
    }

    /**
     * The calling thread's time on a CPU and time runnable but waiting for one, in nanoseconds (Linux's
     * {@code /proc/thread-self/schedstat}); {@code {-1, -1}} where that is not available.
     */
    static long[] threadSchedule() {
        try {
            String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    /** E.g. {@code on a CPU 0.45, waiting for one 0.30} (fractions of the wall time between the two readings). */
    static String schedule(long[] start, long[] end, double wallNanos) {
        if (start[0] < 0 || end[0] < 0) {
            return "schedule not available";
        }
        return String.format("on a CPU %.2f, waiting for one %.2f", (end[0] - start[0]) / wallNanos,
                (end[1] - start[1]) / wallNanos);
    }

    /** CPU time of the live thread with this name, or -1 when there is none. */
    static long threadCpuNanos(String name) {
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals(name)) {
                return THREADS.getThreadCpuTime(t.getThreadId());
            }
        }
        return -1;
    }
}
