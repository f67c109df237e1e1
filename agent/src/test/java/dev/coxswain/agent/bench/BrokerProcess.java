package dev.coxswain.agent.bench;

import dev.coxswain.broker.EmbeddedKafka;

import java.nio.file.Path;

/**
 * Runs the embedded Kafka broker in its own JVM for {@link AgentCostBenchmark}, so that the broker's CPU is not
 * counted as the agent's. Prints {@code BOOTSTRAP host:port} once listening; stops when its standard input closes.
 */
public final class BrokerProcess {
    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]))) {
            System.out.println("BOOTSTRAP " + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
