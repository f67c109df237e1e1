package dev.coxswain.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {
    @Test
    void aBrokerThatDoesNotAnswerIsNotReachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(Topics.reachable(KafkaSettings.of("127.0.0.1:" + closed), Duration.ofSeconds(1))).isFalse();
    }
}
