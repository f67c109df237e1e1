package dev.coxswain.trainer.launch;

import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.data.FashionMnist;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Manual smoke run: java -cp ... dev.coxswain.trainer.launch.SmokeRun key=value ... */
public final class SmokeRun {
    public static void main(String[] args) throws Exception {
        Map<String, String> raw = new HashMap<>();
        raw.put("trainer.launch", "threads");
        raw.put("trainer.agent.url", "http://127.0.0.1:9");
        for (String a : args) {
            raw.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        dev.coxswain.sdk.testing.LocalAgent fake = dev.coxswain.sdk.testing.LocalAgent.start();
        raw.putIfAbsent("trainer.agent.url", fake.uri().toString());
        if (raw.get("trainer.agent.url").equals("http://127.0.0.1:9")) {
            raw.put("trainer.agent.url", fake.uri().toString());
        }
        TrainerSpec spec = TrainerSpec.parse(raw);
        try (AgentClient agent = AgentClient.connect(AgentClientOptions.defaults(spec.agentUri()))) {
            RoleLauncher launcher = spec.launch() == TrainerSpec.LaunchMode.THREADS
                    ? new InProcessLauncher(() -> TrainerRoles.load(spec, FashionMnist.Split.TRAIN), agent)
                    : new ChildProcessLauncher(SmokeRun.class.getName().replace("SmokeRun", "TestRoleMain"),
                    java.util.List.of());
            try (TrainerJob job = TrainerJob.start(spec, launcher, agent,
                    TrainerRoles.load(spec, FashionMnist.Split.TEST))) {
                JobResult r = job.await(Duration.ofMinutes(5));
                System.out.println(r);
                System.out.println("time to target: " + r.timeToTarget() + " final " + r.finalEval());
                agent.flush(Duration.ofSeconds(3));
                fake.drain();
                var steps = fake.steps();
                for (String w : spec.workerIds()) {
                    var mine = steps.stream().filter(s -> s.workerId().equals(w) && s.step() > Integer.getInteger("skip", 20)).toList();
                    System.out.printf("%s: %d steps, mean step %.1f ms, compute %.1f, comm %.1f, wait %.1f%n", w,
                            mine.size(), mine.stream().mapToDouble(s -> s.stepTimeMs()).average().orElse(0),
                            mine.stream().mapToDouble(s -> s.computeMs()).average().orElse(0),
                            mine.stream().mapToDouble(s -> s.commMs()).average().orElse(0),
                            mine.stream().mapToDouble(s -> s.waitMs()).average().orElse(0));
                }
                fake.events().forEach(e -> System.out.println("event " + e.kind() + " " + e.workerId() + " " + e.attributes()));
            }
        }
        System.exit(0);
    }
}
