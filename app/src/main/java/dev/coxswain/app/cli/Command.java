package dev.coxswain.app.cli;

import java.util.List;

/**
 * One {@code coxswain} subcommand. {@link #run} returns the process exit code: 0 for success, 2 for a usage error
 * (with the usage printed), 1 for a failure at run time.
 */
public interface Command {

    /** The word after {@code coxswain}, e.g. {@code demo}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full usage text: arguments, options and an example. */
    String usage();

    int run(List<String> args) throws Exception;
}
