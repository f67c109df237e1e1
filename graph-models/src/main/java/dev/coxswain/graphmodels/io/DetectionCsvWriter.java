package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.detect.WorkerVerdict;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Writes the output of {@code coxswain detect}: a header {@code job,worker,step,straggler,score,cause}, then one
 * line per input row in input order. {@code straggler} is 0 or 1, {@code score} has four decimals, {@code cause} is
 * a {@link dev.coxswain.graphmodels.cause.Cause#label()} ({@code none} for non-stragglers).
 */
public final class DetectionCsvWriter {

    public static final String HEADER = "job,worker,step,straggler,score,cause";

    /** Writes {@code verdicts[i]} for {@code rows[i]}. */
    public void write(List<StepRow> rows, List<WorkerVerdict> verdicts, Writer out) throws IOException {
        if (rows.size() != verdicts.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + verdicts.size() + " verdicts");
        }
        out.write(HEADER);
        out.write('\n');
        for (int i = 0; i < rows.size(); i++) {
            StepRow r = rows.get(i);
            WorkerVerdict v = verdicts.get(i);
            out.write(String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%s\n", r.jobId(), r.workerId(),
                    r.sample().step(), v.straggler() ? 1 : 0, v.score(), v.cause().label()));
        }
    }
}
