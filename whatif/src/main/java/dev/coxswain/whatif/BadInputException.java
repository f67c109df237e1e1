package dev.coxswain.whatif;

import dev.coxswain.core.CoxswainException;

import java.nio.file.Path;

/**
 * An input file of the what-if module (cluster, job, scenario, measurement or query file) is wrong. The message
 * names the file, the 1-based line and the field, so that the user can go straight to the fault.
 */
public final class BadInputException extends CoxswainException {
    private final String file;
    private final int line;
    private final String field;

    public BadInputException(String file, int line, String field, String problem) {
        super(file + ":" + line + ": " + field + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public BadInputException(Path file, int line, String field, String problem) {
        this(String.valueOf(file), line, field, problem);
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
