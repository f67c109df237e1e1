package dev.coxswain.whatif.engine;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.SimOutput;

import java.time.Instant;

/**
 * What a simulated job may touch: the clock, the event queue, the network and the telemetry sink. Owned by the
 * simulation thread.
 */
final class SimContext {
    final EventQueue queue = new EventQueue();
    final Topology topology;
    FlowNetwork network;
    final SimOutput sink;
    final Instant epoch;

    SimContext(Topology topology, SimOutput sink, Instant epoch) {
        this.topology = topology;
        this.sink = sink;
        this.epoch = epoch;
    }

    void attach(FlowNetwork network) {
        this.network = network;
    }

    double now() {
        return queue.now();
    }

    Instant at(double simSec) {
        return epoch.plusNanos(Math.round(simSec * 1e9));
    }

    void emit(Telemetry t) {
        sink.accept(t);
    }

    FlowNetwork.Coflow startCoflow(Phase phase, int job, int worker) {
        FlowNetwork.Coflow c = network.start(phase, job, worker, now());
        reschedule();
        return c;
    }

    void finishCoflow(FlowNetwork.Coflow c) {
        network.finish(c.id, now());
        reschedule();
    }

    private void reschedule() {
        for (FlowNetwork.Coflow c : network.active()) {
            queue.schedule(network.completion(c, now()), new Event.CoflowDone(c.id, c.version));
        }
    }
}
