package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.HashMap;
import java.util.Map;

/**
 * Memory totals from /proc/meminfo, in bytes. Kernels before 3.14 have no MemAvailable; then it is estimated as
 * MemFree + Buffers + Cached, as procps did before the kernel offered it.
 */
public record MemInfo(long totalBytes, long availableBytes) {

    public MemInfo {
        if (totalBytes < 0 || availableBytes < 0) {
            throw new IllegalArgumentException("negative memory in " + this);
        }
    }

    /**
     * @throws SourceFormatException naming the source and line for a malformed line, or when MemTotal is missing
     */
    public static MemInfo parse(String text, String source) {
        Map<String, Long> kb = new HashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new SourceFormatException(source, lineNo, "expected 'Name: value [kB]', found '"
                        + shorten(line) + "'");
            }
            String[] value = Counters.WHITESPACE.split(line.substring(colon + 1).trim());
            if (value.length > 2 || value.length == 2 && !value[1].equals("kB")) {
                throw new SourceFormatException(source, lineNo, "expected a number and optionally 'kB', found '"
                        + shorten(line.substring(colon + 1).trim()) + "'");
            }
            long n = Counters.parse(value[0], source, lineNo, line.substring(0, colon));
            if (n > Long.MAX_VALUE / 1024) {
                throw new SourceFormatException(source, lineNo, n + " kB is not a plausible amount of memory");
            }
            kb.put(line.substring(0, colon), n);
        }
        Long total = kb.get("MemTotal");
        if (total == null) {
            throw new SourceFormatException(source, 0, "no MemTotal line");
        }
        Long available = kb.get("MemAvailable");
        if (available == null) {
            // Each term is below 2^53 (checked above), so the sum cannot overflow.
            available = kb.getOrDefault("MemFree", 0L) + kb.getOrDefault("Buffers", 0L)
                    + kb.getOrDefault("Cached", 0L);
        }
        return new MemInfo(total * 1024, Math.min(available, total) * 1024);
    }

    private static String shorten(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
