package dev.coxswain.agent.sample.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for nvidia-smi: a shell script that prints prepared output, since the real tool needs a GPU and this
 * build runs without one. {@code --query-gpu=...} prints {@code query.csv}, {@code topo -m} prints {@code topo.txt};
 * a query naming {@code clocks_event_reasons} fails as drivers before 530 do when {@code legacy} is set.
 */
public final class FakeNvidiaSmi {
    private FakeNvidiaSmi() {
    }

    public static Path write(Path dir, String query, String topo, boolean legacy) throws IOException {
        Files.writeString(dir.resolve("query.csv"), query);
        Files.writeString(dir.resolve("topo.txt"), topo);
        String legacyCheck = legacy ? """
                case "$1" in *clocks_event_reasons*)
                  echo 'Field "clocks_event_reasons.active" is not a valid field to query.'; exit 2;;
                esac
                """ : "";
        return script(dir, "#!/bin/sh\n" + legacyCheck + """
                case "$1" in
                  topo) cat "%1$s/topo.txt" ;;
                  --query-gpu=*) cat "%1$s/query.csv" ;;
                  *) echo "fake nvidia-smi: unknown arguments $*" >&2; exit 2 ;;
                esac
                """.formatted(dir.toAbsolutePath()));
    }

    /** A script with the given body, made executable. */
    public static Path script(Path dir, String body) throws IOException {
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Two GPUs in the agent's query form: the H100 fixture row, and a copy of it as GPU 1. */
    public static String twoH100s() {
        String row = QueryGpuFixtures.noHeaderLine(QueryGpuFixtures.H100_LOAD, GpuQuery.CURRENT.fields());
        return row + "\n" + QueryGpuFixtures.withIndex(row, 1) + "\n";
    }
}
