package dev.coxswain.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands on the launcher's own classpath ({@code target/coxswain.classpath}, runtime scope, which
 * {@code ./coxswain} uses), not the tests' (which adds test-scope jars and so hides a library missing at run time):
 * {@code whatif run} on the repository's example scenario reads its YAML and writes the CSV and the HTML report.
 */
class LauncherClasspathIT {
    @TempDir
    Path out;

    @Test
    void whatIfRunWorksOnTheLaunchersClasspath() throws Exception {
        Path cpFile = Path.of("target/coxswain.classpath");
        assertThat(cpFile).as("the launcher's classpath, written at package").exists();
        String classpath = "target/classes" + java.io.File.pathSeparator + Files.readString(cpFile).strip();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = out.resolve("whatif.log");
        Process p = new ProcessBuilder(java.toString(), "-cp", classpath, "dev.coxswain.app.Main", "whatif", "run",
                "--scenario", "../examples/whatif/scenario-bert.yaml", "--out-dir", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("whatif run ends").isTrue();
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("scenario bert-g4dn on g4dn-12xlarge", "wrote ");
        List<String> csv = Files.readAllLines(out.resolve("bert-g4dn.csv"));
        assertThat(csv).hasSize(1 + 1 + 7);
        assertThat(Files.readString(out.resolve("bert-g4dn.html"))).contains("export function whatIfOption",
                "<td>worker 3 on node 7</td>");
    }
}
