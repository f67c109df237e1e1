package dev.coxswain.app.cli;

import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code coxswain demo} on a machine without the data set (the data directory pointed at an empty folder): it says
 * why in one line and runs the synthetic job instead of stopping; the job reaches the dashboard through the whole
 * daemon (embedded broker, agent, collector).
 */
class DemoFallbackIT {
    @TempDir
    Path dir;

    @Test
    void withoutTheDataSetTheDemoSaysWhyAndRunsTheSyntheticJob() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("no-fashion-mnist"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicReference<String> jobs = new AtomicReference<>("");
        DemoCommand demo = new DemoCommand(new PrintStream(text, true, StandardCharsets.UTF_8), running -> {
            URI uri = running.dashboard().resolve("/api/jobs");
            Await.until("the synthetic job's 8 workers", Duration.ofSeconds(60), () -> {
                jobs.set(HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                return jobs.get().contains("\"workerCount\":8");
            });
        });

        int exit = demo.run(List.of("--straggler-after", "5",
                "--set", "trainer.data.dir=" + empty,
                "--set", "kafka.embedded.dir=" + dir.resolve("kafka"),
                "--set", "dashboard.port=0", "--set", "agent.intake.port=0",
                "--set", "detector.model=" + dir.resolve("no.model")));

        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        List<String> lines = printed.lines().toList();
        assertThat(lines.getFirst())
                .startsWith("demo: Fashion-MNIST file train-images-idx3-ubyte[.gz] not found in " + empty)
                .contains("apt-get install dataset-fashion-mnist")
                .endsWith("Running --job synthetic instead.");
        assertThat(printed).contains("(synthetic): worker w5 straggles after 5 s");
        assertThat(jobs.get()).as("the synthetic job on the dashboard").contains("\"workerCount\":8");
    }
}
