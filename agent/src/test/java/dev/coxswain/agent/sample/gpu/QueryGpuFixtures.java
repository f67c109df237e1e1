package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.Fixtures;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code --format=csv,noheader,nounits} input from the real {@code --format=csv} fixtures. The fixtures
 * were captured with nvidia-smi's full field list and with units; the agent asks for a short list without units.
 * No real sample of that form with clear provenance exists, so the test input is made by taking the agent's
 * columns from a fixture row and removing the units the header declares. This deliberately does not use the
 * parser under test.
 */
final class QueryGpuFixtures {
    static final String H100_LOAD = "nvidia-smi-query-gpu/h100-80gb-hbm3_590.48.01_load_query-gpu-full.csv";
    static final String H100_IDLE = "nvidia-smi-query-gpu/h100-80gb-hbm3_590.48.01_idle_query-gpu-full.csv";
    static final String H200_LOAD = "nvidia-smi-query-gpu/h200_590.48.01_load_query-gpu-full.csv";

    private QueryGpuFixtures() {
    }

    /** The fixture's row as nvidia-smi would print it for {@code fields} with {@code noheader,nounits}. */
    static String noHeaderLine(String fixture, List<String> fields) {
        String[] lines = Fixtures.text(fixture).split("\n");
        String[] header = lines[0].split(", ");
        String[] values = lines[1].split(", ");
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            int column = -1;
            String unit = "";
            for (int i = 0; i < header.length; i++) {
                String name = header[i].contains(" [") ? header[i].substring(0, header[i].indexOf(" [")) : header[i];
                if (name.equals(field)) {
                    column = i;
                    unit = header[i].contains(" [") ? header[i].substring(header[i].indexOf(" [") + 2,
                            header[i].length() - 1) : "";
                }
            }
            if (column < 0) {
                throw new IllegalArgumentException(field + " is not in " + fixture);
            }
            String v = values[column];
            out.add(!unit.isEmpty() && v.endsWith(" " + unit) ? v.substring(0, v.length() - unit.length() - 1) : v);
        }
        return String.join(", ", out);
    }

    /** The fixture's row with a different GPU index: a synthetic second GPU for multi-GPU tests. */
    static String withIndex(String noHeaderLine, int index) {
        return index + noHeaderLine.substring(noHeaderLine.indexOf(','));
    }
}
