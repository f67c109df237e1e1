package dev.coxswain.app;

import dev.coxswain.core.CoxswainException;

import java.nio.file.Files;
import java.nio.file.Path;

/** The source checkout the command runs from: where the examples, the scripts and the launcher's classpath are. */
public final class Checkout {
    private Checkout() {
    }

    /**
     * {@code coxswain.root} (the launcher sets it), else the first directory up from the working directory that has
     * {@code marker}, a path relative to the checkout.
     *
     * @throws CoxswainException when there is none
     */
    public static Path root(String marker) {
        String root = System.getProperty("coxswain.root");
        if (root != null) {
            return Path.of(root);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(marker))) {
                return p;
            }
        }
        throw new CoxswainException(marker + " not found above " + Path.of("").toAbsolutePath()
                + "; run from the checkout or set -Dcoxswain.root");
    }
}
