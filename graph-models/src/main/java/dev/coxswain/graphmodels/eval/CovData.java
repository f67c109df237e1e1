package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-iteration coefficient of variation (sigma / mu of the ten workers' mini-batch times) of 100 production
 * jobs from the Alibaba PAI trace: one row per job, one column per iteration, blank after the job ended.
 */
public final class CovData {

    /** Share of a job's iterations with a CoV above {@link #SPREAD_COV} beyond which the job counts as unhealthy. */
    public static final double UNHEALTHY_SHARE = 0.05;
    /** One worker 2x slower than nine equal peers gives a CoV of 0.29. */
    public static final double SPREAD_COV = 0.3;

    private CovData() {
    }

    /** One job's series. */
    public record CovJob(String id, double[] cov) {
        public CovJob {
            cov = cov.clone();
        }

        /**
         * Healthy when fewer than 5% of its iterations show a spread at least as large as one worker running
         * twice as slow as the rest: no sustained straggler. Declared before any detector was run on the data.
         */
        public boolean healthy() {
            long spread = Arrays.stream(cov).filter(c -> c > SPREAD_COV).count();
            return spread < UNHEALTHY_SHARE * cov.length;
        }
    }

    public static List<CovJob> read(Path file) throws IOException {
        String source = file.toString();
        List<CovJob> jobs = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String header = r.readLine();
            if (header == null || !header.startsWith(",0,")) {
                throw new BadInputException(source, 1, "header", "expected ',0,1,2,...' iteration columns");
            }
            String text;
            int line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                String[] f = text.split(",", -1);
                List<Double> values = new ArrayList<>();
                for (int i = 1; i < f.length && !f[i].isBlank(); i++) {
                    try {
                        double v = Double.parseDouble(f[i].strip());
                        if (!(v >= 0) || Double.isInfinite(v)) {
                            throw new NumberFormatException();
                        }
                        values.add(v);
                    } catch (NumberFormatException e) {
                        throw new BadInputException(source, line, "iteration " + (i - 1),
                                "not a non-negative number: '" + f[i] + "'");
                    }
                }
                jobs.add(new CovJob(f[0], values.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return jobs;
    }
}
