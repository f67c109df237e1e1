package dev.coxswain.core;

import java.nio.file.Path;

/**
 * An input file a user gave (a steps CSV, a cluster, job, scenario, measurement or query file) is wrong. The message
 * names the file, the 1-based line (1 = a CSV's header) and the field, so that the user can go straight to the
 * fault: {@code jobs.csv:12: field 'step_time_ms': not a number: 'abc'}.
 */
public final class BadInputException extends CoxswainException {
    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    public BadInputException(String source, int line, String field, String problem) {
        super(source + ":" + line + ": field '" + field + "': " + problem);
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    public BadInputException(Path file, int line, String field, String problem) {
        this(String.valueOf(file), line, field, problem);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }

    /** What is wrong, without where. */
    public String problem() {
        return problem;
    }
}
