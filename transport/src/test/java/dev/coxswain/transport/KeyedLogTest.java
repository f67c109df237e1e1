package dev.coxswain.transport;

import dev.coxswain.core.RetriableException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedLogTest {
    @Test
    void aBrokerThatDoesNotAnswerIsARetriableErrorThatNamesItAndTheTopic() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        KafkaSettings settings = KafkaSettings.of("127.0.0.1:" + closed);
        assertThatThrownBy(() -> new ActionLogReader(settings).read(Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(RetriableException.class)
                .hasMessageStartingWith("no answer from Kafka at 127.0.0.1:" + closed + " within 1 s, reading "
                        + settings.topics().actions());
    }
}
