package dev.coxswain.bench;

import dev.coxswain.app.Checkout;
import dev.coxswain.core.CoxswainException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code coxswain agent} as a child JVM on the launcher's own classpath, as a user starts it: for the benchmarks that
 * measure an agent's process (its memory) or kill it ({@code kill -9}). Its state directory
 * ({@code COXSWAIN_HOME}) and log are the caller's.
 */
final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final int intakePort;
    private final Path log;
    private final long startNanos;

    private AgentProcess(Process process, int intakePort, Path log, long startNanos) {
        this.process = process;
        this.intakePort = intakePort;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** The checkout's launcher classpath (built by {@code ./coxswain} or {@code mvn package}). */
    static String launcherClasspath(Path root) throws IOException {
        Path cpFile = root.resolve("bench/target/coxswain.classpath");
        if (!Files.isRegularFile(cpFile)) {
            throw new CoxswainException(cpFile + " is missing: build first (./coxswain builds on first use)");
        }
        return root.resolve("bench/target/classes") + java.io.File.pathSeparator + Files.readString(cpFile).strip();
    }

    /**
     * Starts an agent on a free intake port.
     *
     * @param jvmFlags JVM options, e.g. a heap size
     * @param settings {@code --set} keys and values
     * @param home     its {@code COXSWAIN_HOME} (its spool is under it unless {@code settings} say otherwise); the
     *                 log is written there as {@code agent.log}
     */
    static AgentProcess start(List<String> jvmFlags, Map<String, String> settings, Path home) throws IOException {
        Path root = Checkout.root("scripts/agent-jvm-options");
        int intake = freePort();
        Files.createDirectories(home);
        Path log = home.resolve("agent.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-Dcoxswain.root=" + root, "-cp", launcherClasspath(root), "dev.coxswain.app.Main",
                "agent", "--set", "agent.intake.port=" + intake));
        settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("COXSWAIN_HOME", home.toString());
        long t0 = System.nanoTime();
        return new AgentProcess(pb.start(), intake, log, t0);
    }

    /** Waits until the intake answers {@code /v1/health}; returns the seconds since the start. */
    double awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI health = URI.create("http://127.0.0.1:" + intakePort + "/v1/health");
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startNanos) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new CoxswainException("the agent did not answer /v1/health within " + timeout.toSeconds()
                + " s; see " + log);
    }

    int intakePort() {
        return intakePort;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops it as Ctrl-C does, and kills it if it has not ended within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
