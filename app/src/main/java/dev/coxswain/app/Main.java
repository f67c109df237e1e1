package dev.coxswain.app;

import dev.coxswain.app.cli.ActionsCommand;
import dev.coxswain.app.cli.AgentCommand;
import dev.coxswain.app.cli.BrokerCommand;
import dev.coxswain.app.cli.CollectorCommand;
import dev.coxswain.app.cli.Command;
import dev.coxswain.app.cli.ConfigCommand;
import dev.coxswain.app.cli.DemoCommand;
import dev.coxswain.app.cli.DetectCommand;
import dev.coxswain.app.cli.ModelsCommand;
import dev.coxswain.app.cli.PlaceCommand;
import dev.coxswain.app.cli.SimCommand;
import dev.coxswain.app.cli.TrainerCommand;
import dev.coxswain.app.cli.UsageException;
import dev.coxswain.app.cli.WhatIfCommand;
import dev.coxswain.core.CoxswainException;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@code coxswain} command: dispatches to one {@link Command} per subcommand. */
public final class Main {

    private Main() {
    }

    /**
     * The commands wired here, then those of modules above {@code app} found as {@link Command} services on the
     * classpath ({@code bench}, whose benchmarks start the daemon as wired here).
     */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        for (Command c : List.<Command>of(new DemoCommand(), new AgentCommand(), new CollectorCommand(),
                new BrokerCommand(), new ConfigCommand(), new ActionsCommand(System.out),
                new DetectCommand(), new ModelsCommand(Clock.systemUTC()),
                new SimCommand(), new WhatIfCommand(), new PlaceCommand(System.out), new TrainerCommand())) {
            commands.put(c.name(), c);
        }
        for (Command c : ServiceLoader.load(Command.class)) {
            if (commands.putIfAbsent(c.name(), c) != null) {
                throw new IllegalStateException("two commands named '" + c.name() + "': " + c.getClass().getName()
                        + " and " + commands.get(c.name()).getClass().getName());
            }
        }
        return commands;
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        Map<String, Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            if (argv.length > 1 && commands.containsKey(argv[1])) {
                System.out.println(commands.get(argv[1]).usage());
                return 0;
            }
            printCommands(commands);
            return argv.length == 0 ? 2 : 0;
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            System.err.println("coxswain: unknown command '" + argv[0] + "'");
            printCommands(commands);
            return 2;
        }
        List<String> args = Arrays.asList(argv).subList(1, argv.length);
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(command.usage());
            return 0;
        }
        try {
            return command.run(args);
        } catch (UsageException e) {
            System.err.println("coxswain " + command.name() + ": " + e.getMessage());
            System.err.println(command.usage());
            return 2;
        } catch (CoxswainException e) {
            System.err.println("coxswain " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("coxswain " + command.name() + " failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    private static void printCommands(Map<String, Command> commands) {
        System.out.println("usage: coxswain <command> [options]   (coxswain help <command> for details)\n");
        commands.values().forEach(c -> System.out.printf("  %-12s %s%n", c.name(), c.summary()));
    }
}
