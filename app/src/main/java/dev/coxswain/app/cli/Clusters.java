package dev.coxswain.app.cli;

import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a {@code --cluster} argument: a preset name, else a cluster YAML file. */
public final class Clusters {
    private Clusters() {
    }

    public static ClusterSpec load(String arg) {
        if (ClusterPresets.exists(arg)) {
            return ClusterPresets.get(arg);
        }
        Path file = Path.of(arg);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--cluster " + arg + " is neither a preset " + ClusterPresets.names()
                    + " nor a file");
        }
        return ClusterFile.read(file);
    }
}
