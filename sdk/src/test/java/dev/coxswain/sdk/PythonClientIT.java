package dev.coxswain.sdk;

import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.sdk.testing.LocalAgent;
import dev.coxswain.testkit.Requires;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the Python client's own tests with python3 against the real agent, then checks what the agent received. */
class PythonClientIT {

    @Test
    void thePythonClientPassesItsTestsAgainstARunningAgent() throws Exception {
        Path dir = Path.of("python").toAbsolutePath();
        assertThat(dir.resolve("coxswain_client.py")).as("the Python client beside this module").isRegularFile();
        Requires.that(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3", "python3");
        try (LocalAgent agent = LocalAgent.start()) {
            ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "-v", "test_coxswain_client")
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(new File("target/python-client-test.log"));
            pb.environment().put("COXSWAIN_AGENT_URL", agent.uri().toString());
            pb.environment().put("COXSWAIN_TEST_JOB", "py-job");
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process run = pb.start();
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(Path.of("target/python-client-test.log"), StandardCharsets.UTF_8);
            assertThat(run.exitValue()).as(log).isZero();
            agent.drain();
            assertThat(agent.steps()).filteredOn(s -> s.jobId().equals("py-job")).hasSize(30)
                    .allSatisfy(s -> {
                        assertThat(s.batchSize()).isEqualTo(64);
                        assertThat(s.gradient()).isPresent();
                        assertThat(s.computeMs()).isPositive();
                    });
            StepReport last = agent.steps().stream().filter(s -> s.step() == 29).findFirst().orElseThrow();
            assertThat(last.loss().getAsDouble()).isEqualTo(1.0 / 30, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(agent.events()).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo("injection.start");
                assertThat(e.attributes()).containsEntry("factor", "2.0");
            });
            assertThat(agent.memberships()).anySatisfy(m -> assertThat(m.members()).hasSize(2));
        }
    }

    /**
     * {@code pip install ./sdk/python} works as the README says: into a virtual environment of Debian's python3 that
     * sees the system's torch, offline (no build isolation, no index), and both modules import from it.
     */
    @Test
    void theSdkInstallsWithPipAndItsModulesImport(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // pip builds in the source directory (build/, *.egg-info): install a copy, so the checkout stays clean
        Path sdk = Files.createDirectories(tmp.resolve("sdk"));
        for (String f : new String[]{"pyproject.toml", "README.md", "coxswain_client.py", "coxswain_torch.py"}) {
            Files.copy(Path.of("python").resolve(f), sdk.resolve(f));
        }
        Path venv = tmp.resolve("venv");
        run(tmp, "/usr/bin/python3", "-m", "venv", "--system-site-packages", venv.toString());
        run(tmp, venv.resolve("bin/pip").toString(), "install", "--no-build-isolation", "--no-index",
                "--no-cache-dir", sdk.toString());
        String imported = run(tmp, venv.resolve("bin/python").toString(), "-c",
                "import coxswain_client, coxswain_torch; print(coxswain_client.__file__); "
                        + "print(coxswain_torch.Steering.__name__)");
        assertThat(imported).contains(venv.toString()).contains("Steering");
    }

    private static String run(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(String.join(" ", command) + " (needs Debian's python3-venv, python3-setuptools "
                + "and python3-torch, which ./test installs):\n" + out).isZero();
        return out;
    }
}
