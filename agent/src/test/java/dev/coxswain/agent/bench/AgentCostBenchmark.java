package dev.coxswain.agent.bench;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.agent.IntakeClient;
import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.TopicLayout;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Measures the agent's own CPU: a real agent (host, topology and GPU samplers at 1 sample/s, the intake, the sender
 * and its Kafka producer) publishing to a broker in another JVM, over a measured window after a warm-up. Prints the
 * process CPU time over the window as a percentage of one core, from the JVM and from /proc/self/stat, and the
 * busiest threads. A benchmark command, not a test.
 *
 * <p>Usage: {@code AgentCostBenchmark [--seconds 60] [--warmup 15] [--steps-per-second 0] [--nvidia-smi PATH]
 * [--client key=value,...]}; {@code --client} passes Kafka producer properties.
 * With {@code --steps-per-second n} a simulated training process posts n step reports a second, in one batch a
 * second, as the trainer SDK does.
 */
public final class AgentCostBenchmark {
    private AgentCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
        int stepsPerSecond = Integer.parseInt(opts.getOrDefault("steps-per-second", "0"));
        String nvidiaSmi = opts.getOrDefault("nvidia-smi", "nvidia-smi");
        Path dir = Files.createTempDirectory("coxswain-agent-bench");
        Process broker = startBroker(dir.resolve("kafka"));
        try {
            String bootstrap = awaitBootstrap(broker);
            Map<String, String> client = new HashMap<>();
            if (opts.containsKey("client")) {
                for (String kv : opts.get("client").split(",")) {
                    client.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            KafkaSettings kafka = new KafkaSettings(Optional.of(bootstrap), client, TopicLayout.defaults(),
                    dir.resolve("unused"));
            Topics.ensure(kafka);
            AgentSettings settings = AgentSettings.defaults("bench-node").withIntakePort(0)
                    .withGpuSources(nvidiaSmi, Optional.empty());
            try (TelemetryPublisher publisher = new TelemetryPublisher(kafka, "agent-bench");
                 Agent agent = new Agent(settings, TelemetrySink.kafka(publisher), new SimpleMeterRegistry(),
                         Clock.systemUTC())) {
                agent.start();
                run(agent, Duration.ofSeconds(warmup), stepsPerSecond, dir);
                Window w = Window.start();
                long stepsSent = run(agent, Duration.ofSeconds(seconds), stepsPerSecond, dir);
                w.stopAndPrint(seconds, stepsPerSecond, nvidiaSmi, agent, stepsSent);
            }
        } finally {
            broker.getOutputStream().close();
            broker.waitFor();
        }
    }

    /**
     * Lets the agent run, with a simulated training process posting a batch of step reports once a second when
     * asked to. The poster is a curl loop in a child process, so that its CPU is not counted as the agent's.
     *
     * @return how many records the agent sent meanwhile
     */
    private static long run(Agent agent, Duration duration, int stepsPerSecond, Path dir) throws Exception {
        Process poster = null;
        if (stepsPerSecond > 0) {
            Path batch = dir.resolve("batch.json");
            Files.writeString(batch, IntakeClient.steps("bench-job", 0, stepsPerSecond));
            poster = new ProcessBuilder("sh", "-c", "while true; do curl -s -o /dev/null --data-binary @" + batch
                    + " http://127.0.0.1:" + agent.intakePort() + "/v1/steps; sleep 1; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        long start = agent.sent();
        Thread.sleep(duration.toMillis());
        if (poster != null) {
            poster.descendants().forEach(ProcessHandle::destroy);
            poster.destroy();
            poster.waitFor();
        }
        return agent.sent() - start;
    }

    private static Process startBroker(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BrokerProcess.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String awaitBootstrap(Process broker) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("BOOTSTRAP ")) {
                return line.substring("BOOTSTRAP ".length()).trim();
            }
        }
        throw new IOException("the broker process ended without listening");
    }

    /** CPU counters at the start of the measured window. */
    private record Window(long wallNanos, long jvmCpuNanos, long procTicks, Map<Long, Long> threadCpu,
                          Map<String, Long> nativeTicks) {
        static Window start() throws IOException {
            return new Window(System.nanoTime(), readJvmCpu(), readProcTicks(), readThreadCpu(), readNativeTicks());
        }

        void stopAndPrint(int seconds, int steps, String nvidiaSmi, Agent agent, long posted) throws IOException {
            double wall = (System.nanoTime() - wallNanos) / 1e9;
            double jvm = (readJvmCpu() - jvmCpuNanos) / 1e9;
            double proc = (readProcTicks() - procTicks) / 100.0; // USER_HZ is 100 on Linux
            System.out.printf("window: %.1f s, records sent in it: %d (step reports posted: %d/s), nvidia-smi: %s,"
                    + " JVM flags: %s%n", wall, posted, steps, nvidiaSmi,
                    ManagementFactory.getRuntimeMXBean().getInputArguments());
            System.out.printf("agent CPU (JVM process CPU time): %.3f s = %.3f%% of one core%n", jvm,
                    100 * jvm / wall);
            System.out.printf("agent CPU (/proc/self/stat utime+stime): %.2f s = %.3f%% of one core%n", proc,
                    100 * proc / wall);
            System.out.printf("records sent: %d, dropped: %d, sample errors: %d%n", agent.sent(), agent.dropped(),
                    agent.sampleErrors());
            printThreads(wall);
            System.out.println("by native thread (/proc/self/task, includes GC and JIT threads):");
            Map<String, Long> now = readNativeTicks();
            now.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - nativeTicks.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                    .forEach(e -> System.out.printf("  %-45s %.3f%%%n", e.getKey(), e.getValue() / wall));
        }

        private void printThreads(double wall) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<Long, Long> now = readThreadCpu();
            now.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadCpu.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                    .forEach(e -> {
                        ThreadInfo info = threads.getThreadInfo(e.getKey());
                        System.out.printf("  %-45s %.3f%%%n", info == null ? "(ended)" : info.getThreadName(),
                                100 * e.getValue() / 1e9 / wall);
                    });
        }
    }

    private static long readJvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of this process in clock ticks (fields 14 and 15 of /proc/self/stat). */
    private static long readProcTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** utime + stime in ticks per native thread name (threads of one name, e.g. "GC Thread#0", summed). */
    private static Map<String, Long> readNativeTicks() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        }
        return out;
    }

    private static Map<Long, Long> readThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) {
                out.put(id, cpu);
            }
        }
        return out;
    }
}
