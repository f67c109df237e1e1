package dev.coxswain.app.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelsCommandTest {

    @Test
    void aRecordingThatIsNotThereIsAUsageErrorBeforeAnyWork() {
        Path missing = Path.of("no-such-recording.csv").toAbsolutePath();
        assertThatThrownBy(() -> new ModelsCommand(Clock.systemUTC()).run(List.of("train", "--data", "../data",
                "--recorded", "no-such-recording.csv")))
                .isInstanceOf(UsageException.class).hasMessage("--recorded: no file " + missing);
    }
}
