package dev.coxswain.transport;

import dev.coxswain.core.RetriableException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {
    private static String closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNotReachable() throws Exception {
        assertThat(Topics.reachable(KafkaSettings.of(closedPort()), Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void topicsCannotBeCreatedWhereNoBrokerAnswersAndTheErrorSaysSo() throws Exception {
        String bootstrap = closedPort();
        assertThatThrownBy(() -> Topics.ensure(KafkaSettings.of(bootstrap), Duration.ofSeconds(1))).isInstanceOf(RetriableException.class)
                .hasMessage("cannot create topics on " + bootstrap + ": no answer within 1 s (is a broker running "
                        + "there? kafka.bootstrap.servers)");
    }
}
