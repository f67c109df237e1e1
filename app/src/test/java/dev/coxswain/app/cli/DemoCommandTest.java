package dev.coxswain.app.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoCommandTest {
    @Test
    void anUnknownJobOrABadDelayIsAUsageErrorBeforeAnythingStarts() {
        assertThatThrownBy(() -> new DemoCommand().run(List.of("--job", "resnet")))
                .isInstanceOf(UsageException.class).hasMessage("--job resnet: must be trainer, synthetic or pytorch");
        assertThatThrownBy(() -> new DemoCommand().run(List.of("--straggler-after", "soon")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--straggler-after must be an integer");
    }
}
