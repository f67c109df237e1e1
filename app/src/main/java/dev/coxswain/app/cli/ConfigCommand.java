package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;

import java.util.List;

/** {@code coxswain config}: prints every configuration key with its type, default and meaning. */
public final class ConfigCommand implements Command {
    @Override
    public String name() {
        return "config";
    }

    @Override
    public String summary() {
        return "print the configuration reference (every key, its default and meaning)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain config
                Prints the configuration keys as a Markdown table. Keys are read from --config FILE or
                $COXSWAIN_HOME/coxswain.properties (default ~/.coxswain), then --set key=value overrides.""";
    }

    @Override
    public int run(List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("config takes no arguments");
        }
        System.out.print(Settings.definition(Settings.defaultStateDir()).toMarkdown());
        return 0;
    }
}
