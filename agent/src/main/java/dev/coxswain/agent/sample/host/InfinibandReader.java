package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SourceFormatException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads InfiniBand port counters and link rates from a sysfs tree ({@code <sys>/class/infiniband}). A node without
 * InfiniBand has no such directory and yields no ports; a port without a {@code counters} directory is skipped.
 */
public final class InfinibandReader {
    private static final Pattern RATE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*Gb/sec.*", Pattern.DOTALL);

    private final Path root;

    /** @param sysRoot where sysfs is mounted, normally {@code /sys} */
    public InfinibandReader(Path sysRoot) {
        this.root = sysRoot.resolve("class").resolve("infiniband");
    }

    /**
     * Every port of every device, sorted by device and port.
     *
     * @throws SourceFormatException when a data counter is not a number (named by its path)
     * @throws IOException           when the tree cannot be listed
     */
    public List<IbPortCounters> read() throws IOException {
        List<IbPortCounters> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        for (Path device : sorted(root)) {
            Path ports = device.resolve("ports");
            if (!Files.isDirectory(ports)) {
                continue;
            }
            for (Path port : sorted(ports)) {
                Path counters = port.resolve("counters");
                Optional<Integer> number = portNumber(port);
                if (number.isEmpty() || !Files.isDirectory(counters)) {
                    continue;
                }
                Optional<Long> rcv = counter(counters, "port_rcv_data");
                Optional<Long> xmit = counter(counters, "port_xmit_data");
                if (rcv.isEmpty() || xmit.isEmpty()) {
                    continue;
                }
                out.add(new IbPortCounters(device.getFileName().toString(), number.get(), rcv.get(), xmit.get(),
                        counter(counters, "symbol_error").orElse(0L), counter(counters, "link_downed").orElse(0L),
                        counter(counters, "port_rcv_errors").orElse(0L),
                        counter(counters, "port_xmit_discards").orElse(0L)));
            }
        }
        return out;
    }

    /** The signalling rate of a port in bits per second ({@code ports/N/rate}: "100 Gb/sec (4X EDR)"), if known. */
    public Optional<Double> rateBitsPerSec(String device, int port) {
        try {
            return parseRate(Files.readString(rateFile(device, port)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The {@code rate} file of a port; its siblings are {@code state}, {@code link_layer}, ... */
    public Path rateFile(String device, int port) {
        return root.resolve(device).resolve("ports").resolve(String.valueOf(port)).resolve("rate");
    }

    /** The InfiniBand devices present (mlx5_0, ...), sorted. */
    public List<String> devices() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        return sorted(root).stream().map(p -> p.getFileName().toString()).toList();
    }

    static Optional<Double> parseRate(String text) {
        Matcher m = RATE.matcher(text);
        return m.matches() ? Optional.of(Double.parseDouble(m.group(1)) * 1e9) : Optional.empty();
    }

    private static Optional<Integer> portNumber(Path port) {
        String name = port.getFileName().toString();
        return name.matches("\\d{1,3}") ? Optional.of(Integer.parseInt(name)) : Optional.empty();
    }

    private static Optional<Long> counter(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        String text;
        try {
            text = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(Counters.parse(text, file.toString(), 1, name));
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(out::add);
        }
        out.sort(null);
        return out;
    }
}
