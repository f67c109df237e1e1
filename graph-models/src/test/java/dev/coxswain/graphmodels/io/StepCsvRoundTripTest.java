package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.window.Signal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class StepCsvRoundTripTest {

    record Row(String job, String worker, long step, double stepTime, OptionalDouble gpuUtil) {
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<Row> row = Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4),
                Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.doubles().between(1e-3, 1e7).ofScale(6),
                Arbitraries.doubles().between(0, 100).ofScale(4).optional().map(o -> o.map(OptionalDouble::of)
                        .orElse(OptionalDouble.empty()))).as(Row::new);
        return row.list().ofMaxSize(30).uniqueElements(r -> r.job() + "/" + r.worker() + "/" + r.step());
    }

    @Property(tries = 200)
    void everyValidRowReadsBackAsWritten(@ForAll("rows") List<Row> rows) {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time,gpu_util\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%s%n", r.job(), r.worker(), r.step(),
                    Double.toString(r.stepTime()), r.gpuUtil().isPresent() ? Double.toString(r.gpuUtil().getAsDouble())
                            : ""));
        }
        List<StepRow> read = new StepCsvReader("p.csv").read(new StringReader(csv.toString()));

        assertThat(read).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            StepRow s = read.get(i);
            assertThat(s.line()).isEqualTo(i + 2);
            assertThat(s.jobId()).isEqualTo(r.job());
            assertThat(s.workerId()).isEqualTo(r.worker());
            assertThat(s.sample().step()).isEqualTo(r.step());
            assertThat(s.sample().ownStepMs()).isEqualTo(r.stepTime());
            assertThat(s.sample().signals().get(Signal.GPU_UTIL_PCT)).isEqualTo(r.gpuUtil());
        }
    }
}
