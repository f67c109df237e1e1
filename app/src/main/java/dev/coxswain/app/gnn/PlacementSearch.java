package dev.coxswain.app.gnn;

import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.JobSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where to put a new job on a busy cluster: the candidates of a search (the usual heuristics, a pack from every node,
 * random placements), which a scorer ranks by {@link SimulatedNetwork#cost}.
 */
public final class PlacementSearch {

    /** A candidate: which GPUs, and how it was found (a heuristic's name, or {@code search}). */
    public record Candidate(String how, List<Integer> gpus) {
        public Candidate {
            gpus = List.copyOf(gpus);
        }
    }

    /** The heuristics a scheduler uses without a model of the network. */
    public static final List<String> HEURISTICS = List.of("pack-first", "spread", "random");

    private final Topology topology;
    private final List<JobSpec> running;
    private final List<Integer> free;

    /**
     * @throws IllegalArgumentException when two running jobs share a GPU
     */
    public PlacementSearch(Topology topology, List<JobSpec> running) {
        this(topology, running, Set.of());
    }

    /**
     * @param held GPUs taken by jobs that are not among {@code running} (jobs a scorer cannot read): not free, and
     *             their traffic not scored
     * @throws IllegalArgumentException when two running jobs share a GPU
     */
    public PlacementSearch(Topology topology, List<JobSpec> running, Set<Integer> held) {
        this.topology = topology;
        this.running = List.copyOf(running);
        Set<Integer> taken = new TreeSet<>(held);
        for (JobSpec j : running) {
            for (int g : j.workerGpus()) {
                if (!taken.add(g)) {
                    throw new IllegalArgumentException("GPU " + g + " is held by two running jobs");
                }
            }
        }
        this.free = new ArrayList<>();
        for (int g = 0; g < topology.gpuCount(); g++) {
            if (!taken.contains(g)) {
                free.add(g);
            }
        }
    }

    public List<Integer> free() {
        return Collections.unmodifiableList(free);
    }

    private void requireRoom(int workers) {
        if (workers > free.size()) {
            throw new IllegalArgumentException("the job needs " + workers + " GPUs but only " + free.size()
                    + " of the cluster's " + topology.gpuCount() + " are free");
        }
    }

    /** A heuristic's placement of {@code workers} workers: one of {@link #HEURISTICS}. */
    public Candidate heuristic(String name, int workers, long seed) {
        requireRoom(workers);
        return switch (name) {
            case "pack-first" -> new Candidate(name, packFrom(nodesByFreeGpus(), workers));
            case "spread" -> new Candidate(name, spread(workers));
            case "random" -> new Candidate(name, random(workers, new SplittableRandom(seed)));
            default -> throw new IllegalArgumentException("no heuristic '" + name + "'; heuristics: " + HEURISTICS);
        };
    }

    /**
     * The candidates a search scores: the heuristics', packs starting at every node in turn (so each part of the
     * fabric is tried), and {@code randomCount} random placements; without duplicates.
     */
    public List<Candidate> candidates(int workers, int randomCount, long seed) {
        requireRoom(workers);
        Map<List<Integer>, Candidate> unique = new LinkedHashMap<>();
        for (String h : HEURISTICS) {
            Candidate c = heuristic(h, workers, seed);
            unique.putIfAbsent(c.gpus(), c);
        }
        List<Integer> nodes = new ArrayList<>(freeByNode().keySet());
        for (int start = 0; start < nodes.size(); start++) {
            List<Integer> order = new ArrayList<>(nodes.subList(start, nodes.size()));
            order.addAll(nodes.subList(0, start));
            List<Integer> gpus = packFrom(order, workers);
            unique.putIfAbsent(gpus, new Candidate("search", gpus));
        }
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int k = 0; k < randomCount; k++) {
            List<Integer> gpus = random(workers, r);
            unique.putIfAbsent(gpus, new Candidate("search", gpus));
        }
        return new ArrayList<>(unique.values());
    }

    /** The jobs running and {@code job} placed at each candidate. */
    public List<List<JobSpec>> placements(JobSpec job, List<Candidate> candidates) {
        List<List<JobSpec>> out = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            List<JobSpec> jobs = new ArrayList<>(running);
            jobs.add(job.placedOn(c.gpus()));
            out.add(jobs);
        }
        return out;
    }

    private TreeMap<Integer, List<Integer>> freeByNode() {
        TreeMap<Integer, List<Integer>> byNode = new TreeMap<>();
        for (int g : free) {
            byNode.computeIfAbsent(topology.nodeOfGpu(g), n -> new ArrayList<>()).add(g);
        }
        return byNode;
    }

    /** Nodes with the most free GPUs first, then in order. */
    private List<Integer> nodesByFreeGpus() {
        TreeMap<Integer, List<Integer>> byNode = freeByNode();
        List<Integer> nodes = new ArrayList<>(byNode.keySet());
        nodes.sort(Comparator.comparing((Integer n) -> -byNode.get(n).size()).thenComparing(n -> n));
        return nodes;
    }

    private List<Integer> packFrom(List<Integer> nodeOrder, int workers) {
        TreeMap<Integer, List<Integer>> byNode = freeByNode();
        List<Integer> gpus = new ArrayList<>();
        for (int n : nodeOrder) {
            for (int g : byNode.get(n)) {
                if (gpus.size() < workers) {
                    gpus.add(g);
                }
            }
        }
        Collections.sort(gpus);
        return gpus;
    }

    private List<Integer> spread(int workers) {
        List<List<Integer>> lists = new ArrayList<>(freeByNode().values());
        List<Integer> gpus = new ArrayList<>();
        for (int round = 0; gpus.size() < workers; round++) {
            for (List<Integer> node : lists) {
                if (round < node.size() && gpus.size() < workers) {
                    gpus.add(node.get(round));
                }
            }
        }
        Collections.sort(gpus);
        return gpus;
    }

    private List<Integer> random(int workers, SplittableRandom r) {
        List<Integer> pool = new ArrayList<>(free);
        Collections.shuffle(pool, new Random(r.nextLong()));
        List<Integer> gpus = new ArrayList<>(pool.subList(0, workers));
        Collections.sort(gpus);
        return gpus;
    }
}
