package dev.coxswain.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {
    private final LoggerContext context = new LoggerContext();
    private final LogSetup.RoutineWarnings filter = new LogSetup.RoutineWarnings();

    private FilterReply decide(String logger, String format) {
        return filter.decide(null, context.getLogger(logger), Level.WARN, format, null, null);
    }

    @Test
    void theBrokersRoutineWarningsAreLeftOutAndNothingElse() {
        // As Kafka's LogContext passes them: the context's prefix before the message.
        assertThat(decide("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Performing controller activation. {}")).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", "[NodeToControllerChannelManager id=1 "
                + "name=registration] Attempting to close NetworkClient that has already been closed."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", "[AdminClient clientId=adminclient-1] Connection "
                + "to node {} ({}) could not be established. Node may not be available."))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("dev.coxswain.broker.EmbeddedKafka", "Performing controller activation"))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.apache.kafka.controller.QuorumController", null)).isEqualTo(FilterReply.NEUTRAL);
    }
}
