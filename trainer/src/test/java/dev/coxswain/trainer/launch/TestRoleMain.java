package dev.coxswain.trainer.launch;

import java.util.Arrays;

/** The child-process entry point for tests (in the app, {@code coxswain trainer role} plays this part). */
public final class TestRoleMain {
    private TestRoleMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(TrainerRoles.run(Arrays.asList(args)));
    }
}
