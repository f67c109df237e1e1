package dev.coxswain.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/**
 * What a test needs from the machine: when it is missing the test fails saying what to install, instead of skipping
 * silently and leaving a green run that tested nothing. {@code ./test} installs all of it.
 */
public final class Requires {
    private Requires() {
    }

    /** Fails unless {@code ok}, naming what is missing and the Debian package that brings it. */
    public static void that(boolean ok, String what, String debianPackage) {
        if (!ok) {
            fail("this test needs " + what + ": install Debian's " + debianPackage
                    + " (./test installs it: apt-get install " + debianPackage + ")");
        }
    }

    /** Fails unless {@code dir} is a directory, naming the package that brings it. */
    public static void directory(Path dir, String debianPackage) {
        that(Files.isDirectory(dir), dir + " (missing)", debianPackage);
    }
}
