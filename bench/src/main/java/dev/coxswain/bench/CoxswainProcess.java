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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code coxswain} daemon ({@code agent}, {@code collector}) as a child JVM on the launcher's own classpath, as a
 * user starts it: for the benchmarks that measure its process (memory) or kill it ({@code kill -9}). It listens on a
 * free port picked here; its state directory ({@code COXSWAIN_HOME}) and log are the caller's.
 */
final class CoxswainProcess implements AutoCloseable {
    /** A daemon kind: its command, the key of its HTTP port and the path that answers 200 once it runs. */
    record Kind(String command, String portKey, String healthPath) {
        static final Kind AGENT = new Kind("agent", "agent.intake.port", "/v1/health");
        static final Kind COLLECTOR = new Kind("collector", "dashboard.port", "/api/health");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Kind kind;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startNanos;

    private CoxswainProcess(Kind kind, Process process, int port, Path log, long startNanos) {
        this.kind = kind;
        this.process = process;
        this.port = port;
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
     * Starts a daemon on a free port.
     *
     * @param jvmFlags JVM options, e.g. a heap size
     * @param settings {@code --set} keys and values
     * @param home     its {@code COXSWAIN_HOME} (an agent's spool is under it unless {@code settings} say
     *                 otherwise); the log is written there as {@code <command>.log}
     */
    static CoxswainProcess start(Kind kind, List<String> jvmFlags, Map<String, String> settings, Path home)
            throws IOException {
        Path root = Checkout.root("scripts/agent-jvm-options");
        int port = freePort();
        Files.createDirectories(home);
        Path log = home.resolve(kind.command() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-Dcoxswain.root=" + root, "-cp", launcherClasspath(root), "dev.coxswain.app.Main",
                kind.command(), "--set", kind.portKey() + "=" + port));
        settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("COXSWAIN_HOME", home.toString());
        long t0 = System.nanoTime();
        return new CoxswainProcess(kind, pb.start(), port, log, t0);
    }

    /** Waits until it answers its health path; returns the seconds since the start. */
    double awaitHealthy(Duration timeout) throws Exception {
        URI health = uri(kind.healthPath());
        Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
        return Poll.until("the " + kind.command() + " answering " + kind.healthPath(), left, Duration.ofMillis(20),
                () -> {
                    if (!process.isAlive()) {
                        throw new CoxswainException("the " + kind.command() + " exited with " + process.exitValue()
                                + " before it answered " + kind.healthPath() + "; see " + log);
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                                ? Optional.of((System.nanoTime() - startNanos) / 1e9) : Optional.empty();
                    } catch (IOException notYet) {
                        return Optional.empty();
                    }
                }, () -> "see " + log);
    }

    /** GETs {@code path} on its HTTP port, as text. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code path} on its HTTP port (the agent's intake, the collector's dashboard). */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    /** Its resident memory now, VmRSS from /proc (Linux), in MB. */
    double residentMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new CoxswainException("no VmRSS in /proc/" + process.pid() + "/status");
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
