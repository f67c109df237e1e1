package dev.coxswain.agent.publish;

import dev.coxswain.agent.RateLimitedLog;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The agent's write-ahead spool: a {@link Journal} on disk. The buffer appends every record it accepts here before it
 * queues it (so before the intake answers a training process), and a record is forgotten once Kafka has it. After a
 * crash or a restart, {@link #open} reads back every record not yet done and hands it out by {@link #takeRecovered()},
 * to be sent before anything new.
 *
 * <p>On disk: segment files {@code <first number>.seg} of frames {@code [length u32][crc32c u32][number u64]
 * [record]} (the record in the wire format, the CRC over number and record), rolled at {@code maxBytes / 8}; and
 * {@code done-below}, the number below which every record is done, written with an atomic rename at each
 * {@link #checkpoint}. A segment whose records are all done is deleted at the next checkpoint. Delivery is at least
 * once: records done after the last checkpoint are sent again after a crash (about a second's worth).
 *
 * <p>Damage is contained, never fatal: a frame cut short at a segment's end (an interrupted write) ends that segment's
 * records; a frame that fails its length or CRC check, or does not decode, quarantines the segment (renamed
 * {@code .corrupt}, one warning naming the file and byte) after the records before it were read. Writes reach the
 * operating system before {@link #append} returns, which survives the agent's crash but not the machine's (no
 * fsync). Past {@code maxBytes} the oldest segment is deleted, and its records not yet done are counted as evicted:
 * they are still queued in memory, but no longer safe from a crash. A failed write is counted and logged, and the
 * records stay queued in memory.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class Spool implements Journal {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final int HEADER = 4 + 4 + 8;
    /** No record the agent takes comes near this; a larger length is damage. */
    private static final int MAX_RECORD = 1 << 20;
    private static final String SEGMENT = ".seg";
    private static final String DONE_BELOW = "done-below";
    private static final String LOCK = "lock";

    private static final class Segment {
        final Path path;
        final long first;
        long last;
        long bytes;

        Segment(Path path, long first) {
            this.path = path;
            this.first = first;
            this.last = first - 1;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final RateLimitedLog trouble;
    /** First number to its segment, oldest first; the last is the one written. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final List<Numbered> recovered = new ArrayList<>();
    private final FileChannel lockFile;
    private FileChannel channel;
    private long next;
    /** Every record numbered below is done. */
    private long base;
    /** Bit i: record {@code base + i} is done. */
    private BitSet doneAbove = new BitSet();
    private long checkpointed = -1;
    private long bytes;
    private long quarantined;
    private long evicted;
    private long errors;

    private Spool(Path dir, FileChannel lockFile, long maxBytes, Clock clock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 * 1024, maxBytes / 8);
        this.trouble = new RateLimitedLog(log, Duration.ofSeconds(10), clock);
    }

    /**
     * Opens the spool in {@code dir} (created if missing), reads back what a previous run left and rewrites it into
     * a fresh segment.
     *
     * @throws IOException when the directory cannot be created or written, or another process holds it (one agent
     *                     per spool: its {@code lock} file is locked while it is open)
     */
    public static Spool open(Path dir, long maxBytes, Clock clock) throws IOException {
        if (maxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("a spool needs at least 1 MiB, got " + maxBytes + " bytes");
        }
        Files.createDirectories(dir);
        FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (!locked(lockFile)) {
                throw new IOException(dir + " is in use by another agent");
            }
            Spool spool = new Spool(dir, lockFile, maxBytes, clock);
            spool.recover();
            return spool;
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    private static boolean locked(FileChannel file) throws IOException {
        try {
            return file.tryLock() != null;
        } catch (OverlappingFileLockException heldInThisProcess) {
            return false;
        }
    }

    private void recover() throws IOException {
        base = readDoneBelow();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SEGMENT)).sorted().toList();
        }
        long highest = base - 1;
        for (Path f : files) {
            highest = Math.max(highest, read(f));
        }
        next = highest + 1;
        // Numbers between base and next that came back from no segment (done before the crash, or in a segment
        // that was damaged or evicted) are done: nothing will ever report them.
        doneAbove.set(0, (int) Math.min(Integer.MAX_VALUE, next - base));
        for (Numbered r : recovered) {
            doneAbove.clear((int) (r.seq() - base));
        }
        advance();
        startSegment(recovered.isEmpty() ? next : recovered.getFirst().seq());
        if (!recovered.isEmpty()) {
            write(recovered);
        }
        Path written = segments.lastEntry().getValue().path;
        for (Path f : files) {
            if (!f.equals(written)) {
                Files.deleteIfExists(f);
            }
        }
        checkpoint();
        if (!recovered.isEmpty()) {
            log.info("spool {}: {} record(s) not yet delivered before the last stop will be sent first", dir,
                    recovered.size());
        }
    }

    private long readDoneBelow() {
        Path f = dir.resolve(DONE_BELOW);
        if (!Files.exists(f)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            log.warn("spool {}: {} unreadable ({}); every spooled record will be sent again", dir, DONE_BELOW,
                    e.toString());
            return 0;
        }
    }

    /** Reads one segment's records at or above {@link #base} into {@link #recovered}; returns the highest number. */
    private long read(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(data);
        long highest = -1;
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < HEADER) {
                log.warn("spool {}: {} ends in a frame cut short at byte {} (an interrupted write); the records "
                        + "before it are kept", dir, file.getFileName(), at);
                break;
            }
            int length = in.getInt();
            int crc = in.getInt();
            long seq = in.getLong();
            if (length < 0 || length > MAX_RECORD) {
                return quarantine(file, at, "record length " + length, highest);
            }
            if (in.remaining() < length) {
                log.warn("spool {}: {} ends in a frame cut short at byte {} (an interrupted write); the records "
                        + "before it are kept", dir, file.getFileName(), at);
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            if (crc != crc(seq, payload)) {
                return quarantine(file, at, "CRC mismatch", highest);
            }
            if (!(TelemetryCodec.decode(payload) instanceof DecodeResult.Decoded d)) {
                return quarantine(file, at, "a record that does not decode", highest);
            }
            highest = Math.max(highest, seq);
            if (seq >= base) {
                recovered.add(new Numbered(seq, d.record()));
            }
        }
        return highest;
    }

    private long quarantine(Path file, int at, String problem, long highest) throws IOException {
        Path moved = file.resolveSibling(file.getFileName() + ".corrupt");
        Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
        quarantined++;
        log.warn("spool {}: {} is damaged at byte {} ({}); kept the records before it, moved the file to {}", dir,
                file.getFileName(), at, problem, moved.getFileName());
        return highest;
    }

    private static int crc(long seq, byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(8).putLong(0, seq));
        c.update(payload);
        return (int) c.getValue();
    }

    private void startSegment(long first) throws IOException {
        if (channel != null) {
            channel.close();
        }
        Path path = dir.resolve(String.format("%020d%s", first, SEGMENT));
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(first, new Segment(path, first));
    }

    @Override
    public synchronized List<Numbered> takeRecovered() {
        List<Numbered> out = List.copyOf(recovered);
        recovered.clear();
        return out;
    }

    @Override
    public synchronized long append(List<? extends Telemetry> records) {
        long first = next;
        List<Numbered> numbered = new ArrayList<>(records.size());
        for (Telemetry r : records) {
            numbered.add(new Numbered(next++, r));
        }
        try {
            write(numbered);
            if (segments.lastEntry().getValue().bytes >= segmentBytes) {
                startSegment(next);
            }
            evictOverBound();
        } catch (IOException | RuntimeException e) {
            errors++;
            trouble.warn("spool {}: write failed ({}); {} record(s) held in memory only", dir, e.toString(),
                    records.size());
        }
        return first;
    }

    private void write(List<Numbered> records) throws IOException {
        int size = 0;
        List<byte[]> payloads = new ArrayList<>(records.size());
        for (Numbered r : records) {
            byte[] p = TelemetryCodec.encode(r.record());
            payloads.add(p);
            size += HEADER + p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = 0; i < records.size(); i++) {
            byte[] p = payloads.get(i);
            long seq = records.get(i).seq();
            out.putInt(p.length).putInt(crc(seq, p)).putLong(seq).put(p);
        }
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        Segment s = segments.lastEntry().getValue();
        s.last = Math.max(s.last, records.getLast().seq());
        s.bytes += size;
        bytes += size;
    }

    private void evictOverBound() throws IOException {
        while (bytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.pollFirstEntry().getValue();
            Files.deleteIfExists(oldest.path);
            bytes -= oldest.bytes;
            long notDone = 0;
            for (long seq = Math.max(base, oldest.first); seq <= oldest.last; seq++) {
                notDone += doneAbove.get((int) (seq - base)) ? 0 : 1;
            }
            evicted += notDone;
            trouble.warn("spool {}: over its bound of {} bytes; removed {} with {} record(s) not yet delivered "
                    + "(still queued in memory, no longer safe from a crash)", dir, maxBytes,
                    oldest.path.getFileName(), notDone);
        }
    }

    @Override
    public synchronized void done(long seq) {
        if (seq < base || seq >= next || seq - base > Integer.MAX_VALUE) {
            return;
        }
        doneAbove.set((int) (seq - base));
        if (seq == base) {
            advance();
        }
    }

    private void advance() {
        int k = doneAbove.nextClearBit(0);
        if (k > 0) {
            base += k;
            doneAbove = doneAbove.get(k, Math.max(k, doneAbove.length()));
        }
    }

    @Override
    public synchronized void checkpoint() {
        if (base == checkpointed) {
            return;
        }
        try {
            Path tmp = dir.resolve(DONE_BELOW + ".tmp");
            Files.writeString(tmp, Long.toString(base), StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(DONE_BELOW), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            checkpointed = base;
            // Segments all of whose records are done, never the one being written.
            while (segments.size() > 1 && segments.firstEntry().getValue().last < base) {
                Segment s = segments.pollFirstEntry().getValue();
                Files.deleteIfExists(s.path);
                bytes -= s.bytes;
            }
        } catch (IOException e) {
            errors++;
            trouble.warn("spool {}: checkpoint failed ({}); records delivered since the last one may be sent again "
                    + "after a restart", dir, e.toString());
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** Bytes of segment files on disk. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Segments quarantined as damaged when the spool was opened. */
    public synchronized long quarantined() {
        return quarantined;
    }

    /** Records removed from disk over the bound before they were delivered. */
    public synchronized long evicted() {
        return evicted;
    }

    /** Failed writes and checkpoints. */
    public synchronized long errors() {
        return errors;
    }

    /** Records not yet done (those read back included). */
    public synchronized long pending() {
        return next - base - doneAbove.cardinality();
    }

    @Override
    public synchronized void close() {
        checkpoint();
        release();
    }

    /** Leaves the files as a killed agent does (no checkpoint) and lets go of them: for tests in one process. */
    synchronized void abandon() {
        release();
    }

    private void release() {
        try {
            channel.close();
            lockFile.close();
        } catch (IOException e) {
            log.warn("spool {}: close failed: {}", dir, e.toString());
        }
    }
}
