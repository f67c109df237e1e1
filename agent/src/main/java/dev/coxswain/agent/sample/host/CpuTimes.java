package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SourceFormatException;

/**
 * The aggregate {@code cpu} line of /proc/stat: cumulative time in clock ticks since boot, all CPUs together. Kernels
 * before 2.6.11 have fewer columns; missing ones read as 0. Guest time is already inside user time and is not
 * counted again.
 */
public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
                       long steal) {

    public CpuTimes {
        if (user < 0 || nice < 0 || system < 0 || idle < 0 || iowait < 0 || irq < 0 || softirq < 0 || steal < 0) {
            throw new IllegalArgumentException("negative CPU time in " + this);
        }
    }

    public long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    /** Time not idle and not waiting for I/O. */
    public long busy() {
        return total() - idle - iowait;
    }

    /**
     * Reads the {@code cpu} line of a /proc/stat text.
     *
     * @param source the file's name for error messages
     * @throws SourceFormatException naming the source and line when there is no such line or it is malformed
     */
    public static CpuTimes parse(String text, String source) {
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (!line.startsWith("cpu ")) {
                continue;
            }
            String[] f = Counters.WHITESPACE.split(line.substring(4).trim());
            if (f.length < 4) {
                throw new SourceFormatException(source, lineNo, "expected at least 4 counters after 'cpu', found "
                        + (f[0].isEmpty() ? 0 : f.length));
            }
            long[] v = new long[8];
            for (int i = 0; i < Math.min(8, f.length); i++) {
                v[i] = Counters.parse(f[i], source, lineNo, "cpu column " + (i + 1));
            }
            return new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
        throw new SourceFormatException(source, 0, "no aggregate 'cpu' line");
    }
}
