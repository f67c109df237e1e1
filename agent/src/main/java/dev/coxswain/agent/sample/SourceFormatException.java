package dev.coxswain.agent.sample;

import dev.coxswain.core.CoxswainException;

/**
 * Tool output or a kernel file that does not have the expected format. The message names the source and the
 * 1-based line, e.g. {@code /proc/net/dev line 4: expected 16 counters after 'eth0:', found 9}.
 */
public final class SourceFormatException extends CoxswainException {
    private final String source;
    private final int line;

    public SourceFormatException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not on one line (an empty file, a missing section). */
    public int line() {
        return line;
    }
}
