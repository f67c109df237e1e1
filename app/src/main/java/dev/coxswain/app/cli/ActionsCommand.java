package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.KafkaSettings;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code coxswain actions}: the controller's audit log from the actions topic. */
public final class ActionsCommand implements Command {
    private final PrintStream out;

    public ActionsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "actions";
    }

    @Override
    public String summary() {
        return "list the controller's audit log: every action proposed or taken, and what became of it";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain actions [--job J] [--config FILE] [--set key=value ...]
                Reads <prefix>.actions from kafka.bootstrap.servers (the demo prints its broker's address) and
                prints each action (time, job, policy, issuer, the knob changes, the reason, the expected effect)
                with its outcomes in order: advised, applied, rejected, verified, rolled_back.
                example: coxswain actions --set kafka.bootstrap.servers=127.0.0.1:39093 --job demo-job-101500""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config", "job"), Set.of());
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        KafkaSettings kafka = settings.kafka();
        if (kafka.bootstrapServers().isEmpty()) {
            throw new UsageException("set kafka.bootstrap.servers to the cluster the controllers write to (the "
                    + "demo prints the address of its broker)");
        }
        ActionLogReader.Read read = new ActionLogReader(kafka).read(o.get("job"), Duration.ofSeconds(30));
        print(read.records());
        read.rejected().forEach(r -> out.println("undecodable record " + r));
        return 0;
    }

    void print(List<ControlRecord> records) {
        Map<String, Action> actions = new LinkedHashMap<>();
        Map<String, StringBuilder> outcomes = new LinkedHashMap<>();
        for (ControlRecord r : records) {
            switch (r) {
                case Action a -> actions.put(a.id(), a);
                case ActionOutcome x -> outcomes.computeIfAbsent(x.actionId(), k -> new StringBuilder())
                        .append(String.format("%n    %s %s: %s", x.at(), x.status().label(), x.detail()));
            }
        }
        if (actions.isEmpty()) {
            out.println("no actions");
        }
        for (Action a : actions.values()) {
            out.printf("%s %s job %s: %s%s by %s%n  %s%n  reason: %s%n  expected step %.1f ms -> %.1f ms%s%n",
                    a.issuedAt(), a.id(), a.job(), a.policy(), a.dryRun() ? " (advice)" : "", a.issuer(),
                    a.settings(), a.reason(), a.expected().stepTimeMsBefore(), a.expected().stepTimeMsAfter(),
                    Optional.ofNullable(outcomes.get(a.id())).map(StringBuilder::toString).orElse(""));
        }
    }
}
