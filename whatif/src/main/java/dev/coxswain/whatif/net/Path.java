package dev.coxswain.whatif.net;

/**
 * The links a transfer between two GPUs crosses, the one-way latency of the route, and the most a single flow on it
 * can get by itself (a transport's per-flow limit; infinite when none).
 */
public record Path(int[] links, double latencySec, double flowCapBytesPerSec) {
    public Path {
        links = links.clone();
        if (!(latencySec >= 0) || !(flowCapBytesPerSec > 0)) {
            throw new IllegalArgumentException("path latency must be >= 0 and its flow cap > 0");
        }
    }

    @Override
    public int[] links() {
        return links.clone();
    }

    int linkAt(int i) {
        return links[i];
    }

    public int length() {
        return links.length;
    }
}
