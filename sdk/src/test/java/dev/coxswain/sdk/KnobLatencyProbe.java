package dev.coxswain.sdk;

import dev.coxswain.sdk.fake.FakeAgent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public final class KnobLatencyProbe {
    public static void main(String[] a) throws Exception {
        try (FakeAgent agent = FakeAgent.start();
             AgentClient c = AgentClient.connect(AgentClientOptions.defaults(agent.uri()).withKnobWait(Duration.ofSeconds(5)))) {
            LinkedBlockingQueue<Long> q = new LinkedBlockingQueue<>();
            try (KnobWatch w = c.watchKnobs("j", "w1", u -> q.add(System.nanoTime()))) {
                q.poll(5, TimeUnit.SECONDS);
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    c.setKnobs("j", Optional.of("w1"), Knobs.none().withBatchSize(10 + i));
                    long t1 = System.nanoTime();
                    long got = q.poll(5, TimeUnit.SECONDS);
                    System.out.printf("set %.1f ms, delivered %.1f ms after set returned%n", (t1 - t0) / 1e6, (got - t1) / 1e6);
                    Thread.sleep(200);
                }
            }
        }
    }
}
