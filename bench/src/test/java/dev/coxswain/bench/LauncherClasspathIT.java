package dev.coxswain.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands on the launcher's own classpath ({@code target/coxswain.classpath}, runtime scope, which
 * {@code ./coxswain} uses), not the tests' (which adds test-scope jars and so hides a library missing at run time):
 * {@code whatif run} on the repository's example scenario reads its YAML and writes the CSV and the HTML report, and
 * {@code app}'s main finds the {@code bench} command, a service of this module.
 */
class LauncherClasspathIT {
    @TempDir
    Path out;

    /** Runs {@code coxswain args} as the launcher does; returns its exit code and what it printed. */
    private Result coxswain(String... args) throws Exception {
        Path cpFile = Path.of("target/coxswain.classpath");
        assertThat(cpFile).as("the launcher's classpath, written at package").exists();
        String classpath = "target/classes" + java.io.File.pathSeparator + Files.readString(cpFile).strip();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile(out, "coxswain", ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classpath, "dev.coxswain.app.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("coxswain " + String.join(" ", args) + " ends").isTrue();
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String printed) {
    }

    @Test
    void theBenchCommandIsFoundAsAService() throws Exception {
        Result r = coxswain("bench");
        assertThat(r.exit()).as(r.printed()).isEqualTo(2);
        assertThat(r.printed()).contains("coxswain bench: name a benchmark", "usage: coxswain bench controller");
    }

    @Test
    void whatIfRunWorksOnTheLaunchersClasspath() throws Exception {
        Result r = coxswain("whatif", "run", "--scenario", "../examples/whatif/scenario-bert.yaml", "--out-dir",
                out.toString());
        String printed = r.printed();
        assertThat(r.exit()).as(printed).isZero();
        assertThat(printed).contains("scenario bert-g4dn on g4dn-12xlarge", "wrote ");
        List<String> csv = Files.readAllLines(out.resolve("bert-g4dn.csv"));
        assertThat(csv).hasSize(1 + 1 + 7);
        assertThat(Files.readString(out.resolve("bert-g4dn.html"))).contains("export function whatIfOption",
                "<td>worker 3 on node 7</td>");
    }
}
