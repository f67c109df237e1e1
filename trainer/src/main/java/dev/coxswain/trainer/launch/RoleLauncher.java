package dev.coxswain.trainer.launch;

/** Starts the shards and workers of a job: as child JVMs ({@link ChildProcessLauncher}) or threads here. */
public interface RoleLauncher {
    RunningRole start(RoleArgs args, TrainerSpec spec);
}
