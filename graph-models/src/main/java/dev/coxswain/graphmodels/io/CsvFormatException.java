package dev.coxswain.graphmodels.io;

import dev.coxswain.core.CoxswainException;

/** A bad input file: the message names the file, the line (1 = header) and the field. */
public final class CsvFormatException extends CoxswainException {
    private final String source;
    private final int line;
    private final String field;

    public CsvFormatException(String source, int line, String field, String problem) {
        super(source + ":" + line + ": field '" + field + "': " + problem);
        this.source = source;
        this.line = line;
        this.field = field;
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
}
