package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.ArrayList;
import java.util.List;

/** The cumulative counters of one network interface from /proc/net/dev. */
public record NetDevCounters(String name, long rxBytes, long rxErrors, long rxDropped, long txBytes, long txErrors,
                             long txDropped) {

    private static final int COLUMNS = 16;

    /**
     * Reads every interface line of a /proc/net/dev text (the two header lines are skipped). Old kernels print no
     * space after the colon ({@code eth0:1234}); both forms are read.
     *
     * @throws SourceFormatException naming the source and line for a line without 16 counters
     */
    public static List<NetDevCounters> parseAll(String text, String source) {
        List<NetDevCounters> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (lines.length < 2 || !lines[0].contains("|") || !lines[1].contains("|")) {
            throw new SourceFormatException(source, 1, "expected the two header lines of /proc/net/dev");
        }
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new SourceFormatException(source, i + 1, "expected 'interface: counters'");
            }
            String name = line.substring(0, colon).trim();
            String rest = line.substring(colon + 1).trim();
            String[] f = rest.isEmpty() ? new String[0] : Counters.WHITESPACE.split(rest);
            if (name.isEmpty() || f.length != COLUMNS) {
                throw new SourceFormatException(source, i + 1, "expected " + COLUMNS + " counters after '" + name
                        + ":', found " + f.length);
            }
            long[] v = new long[COLUMNS];
            for (int c = 0; c < COLUMNS; c++) {
                v[c] = Counters.parse(f[c], source, i + 1, name + " column " + (c + 1));
            }
            out.add(new NetDevCounters(name, v[0], v[2], v[3], v[8], v[10], v[11]));
        }
        return out;
    }
}
