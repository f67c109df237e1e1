package dev.coxswain.whatif.calibrate;

import dev.coxswain.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeasurementCsvTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsRowsByHeaderNameInAnyOrder() throws IOException {
        List<Measurement> rows = MeasurementCsv.readMeasured(file(
                "sync_time,placement,step_time,local_bsz,extra\n0.1,22,0.5,8,x\n0,1,0.25,4,y\n"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).placement()).isEqualTo(Placement.parse("22"));
        assertThat(rows.get(0).localBatch()).isEqualTo(8);
        assertThat(rows.get(0).computeTimeSec()).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void namesFileLineAndFieldOfABadPlacement() throws IOException {
        Path f = file("placement,local_bsz,step_time,sync_time\n22,8,0.5,0.1\n2x,8,0.5,0.1\n");
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(f))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.field()).isEqualTo("placement");
                    assertThat(e.source()).isEqualTo(f.toString());
                })
                .hasMessageContaining("m.csv:3: field 'placement':");
    }

    @Test
    void rejectsSyncLongerThanTheStep() throws IOException {
        Path f = file("placement,local_bsz,step_time,sync_time\n4,8,0.5,0.6\n");
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(f)).hasMessageContaining(":2: field 'sync_time':");
    }

    @Test
    void rejectsNonNumbersNegativeAndMissingValues() throws IOException {
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(file("placement,local_bsz,step_time,sync_time\n"
                + "4,eight,0.5,0.1\n"))).hasMessageContaining(":2: field 'local_bsz':");
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(file("placement,local_bsz,step_time,sync_time\n"
                + "4,8,-1,0\n"))).hasMessageContaining(":2: field 'step_time':");
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(file("placement,local_bsz,step_time,sync_time\n"
                + "4,8,NaN,0\n"))).hasMessageContaining(":2: field 'step_time':");
        assertThatThrownBy(() -> MeasurementCsv.readMeasured(file("placement,local_bsz,step_time,sync_time\n"
                + "4,8,0.5\n"))).hasMessageContaining(":2: field 'sync_time': missing");
        assertThatThrownBy(() -> MeasurementCsv.readQueries(file("placement,batch\n4,8\n")))
                .hasMessageContaining(":1: field 'local_bsz': column missing");
    }

    @Test
    void writesOneOutputRowPerPrediction() throws IOException {
        Query q = new Query(Placement.parse("13"), 16);
        StringWriter w = new StringWriter();
        MeasurementCsv.writePredictions(w, List.of(new Prediction(q, 1.5, 0.5, 1.2, 1.9)));
        assertThat(w.toString()).isEqualTo("placement,local_bsz,step_time,sync_time,step_time_lo,step_time_hi\n"
                + "13,16,1.500000,0.500000,1.200000,1.900000\n");
    }
}
