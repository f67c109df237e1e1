package dev.coxswain.whatif.spec;

import java.util.List;

/** How a job's workers exchange gradients each step. */
public sealed interface SyncSpec permits SyncSpec.AllReduce, SyncSpec.ParameterServer {

    /** Data-parallel all-reduce, synchronous every step. */
    record AllReduce(Algorithm algorithm) implements SyncSpec {
        public AllReduce {
            if (algorithm == null) {
                throw new IllegalArgumentException("all-reduce algorithm missing");
            }
        }
    }

    /**
     * Parameter servers on CPUs of the given nodes; the gradient is sharded evenly over them.
     *
     * @param staleness for SSP, how many steps the fastest worker may run ahead of the slowest
     */
    record ParameterServer(Consistency consistency, int staleness, List<Integer> serverNodes) implements SyncSpec {
        public ParameterServer {
            serverNodes = List.copyOf(serverNodes);
            if (consistency == null || serverNodes.isEmpty() || staleness < 0) {
                throw new IllegalArgumentException("parameter server needs a consistency, servers and staleness >= 0");
            }
        }

        /** The bound actually enforced: 0 for BSP, the staleness for SSP, none for ASP. */
        public long bound() {
            return switch (consistency) {
                case BSP -> 0;
                case SSP -> staleness;
                case ASP -> Long.MAX_VALUE / 4;
            };
        }
    }

    enum Algorithm {
        /** Ring over all GPUs, node by node. */
        RING,
        /** NCCL-style double binary tree over nodes, chains inside nodes. */
        TREE,
        /** Reduce-scatter inside nodes, ring across nodes per local rank, all-gather inside nodes. */
        HIERARCHICAL
    }

    enum Consistency {
        /** Bulk synchronous: every worker waits for all. */
        BSP,
        /** Stale synchronous: a worker may lead the slowest by at most the staleness bound. */
        SSP,
        /** Asynchronous: no waiting. */
        ASP
    }
}
