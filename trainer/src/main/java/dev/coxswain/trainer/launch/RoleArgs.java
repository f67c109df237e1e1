package dev.coxswain.trainer.launch;

import dev.coxswain.core.CoxswainException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a shard or worker process is told on its command line:
 * {@code --spec <job file> --role shard|worker --id <id> --node <node> --coordinator <url>}.
 *
 * @param id a worker id ({@code w0}) or a shard id ({@code ps0})
 */
public record RoleArgs(Path spec, Role role, String id, String node, String coordinatorUrl) {

    /** The two kinds of child process. */
    public enum Role {
        SHARD, WORKER
    }

    public RoleArgs {
        if (spec == null || role == null || id == null || node == null || coordinatorUrl == null) {
            throw new CoxswainException("trainer role: --spec, --role, --id, --node and --coordinator are required");
        }
    }

    /** The shard index of a shard id such as {@code ps1}. */
    public int shardIndex() {
        if (role != Role.SHARD || !id.matches("ps\\d+")) {
            throw new CoxswainException("trainer role: '" + id + "' is not a shard id like ps0");
        }
        return Integer.parseInt(id.substring(2));
    }

    public List<String> toArgs() {
        return List.of("--spec", spec.toString(), "--role", role.name().toLowerCase(java.util.Locale.ROOT),
                "--id", id, "--node", node, "--coordinator", coordinatorUrl);
    }

    public static RoleArgs parse(List<String> args) {
        Path spec = null;
        Role role = null;
        String id = null;
        String node = null;
        String coordinator = null;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            if (rest.isEmpty()) {
                throw new CoxswainException("trainer role: " + flag + " needs a value");
            }
            String value = rest.removeFirst();
            switch (flag) {
                case "--spec" -> spec = Path.of(value);
                case "--role" -> role = switch (value) {
                    case "shard" -> Role.SHARD;
                    case "worker" -> Role.WORKER;
                    default -> throw new CoxswainException("trainer role: --role " + value + " is not shard or worker");
                };
                case "--id" -> id = value;
                case "--node" -> node = value;
                case "--coordinator" -> coordinator = value;
                default -> throw new CoxswainException("trainer role: unknown option " + flag);
            }
        }
        return new RoleArgs(spec, role, id, node, coordinator);
    }
}
