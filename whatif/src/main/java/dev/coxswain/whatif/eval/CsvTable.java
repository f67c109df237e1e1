package dev.coxswain.whatif.eval;

import dev.coxswain.core.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV table with a header, for the published reference data (quoted fields with commas allowed). Cells are
 * looked up by column name; a missing column or a bad number names file, line and column.
 */
final class CsvTable {
    private final Path file;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<String[]> rows = new ArrayList<>();

    CsvTable(Path file) {
        this.file = file;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new BadInputException(file, 1, "header", "empty file");
        }
        String[] header = split(lines.get(0));
        for (int i = 0; i < header.length; i++) {
            columns.put(header[i].trim(), i);
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(split(lines.get(i)));
            }
        }
    }

    int size() {
        return rows.size();
    }

    String text(int row, String column) {
        Integer c = columns.get(column);
        if (c == null) {
            throw new BadInputException(file, 1, column, "column missing");
        }
        String[] r = rows.get(row);
        return c < r.length ? r[c].trim() : "";
    }

    double number(int row, String column) {
        String t = text(row, column);
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new BadInputException(file, row + 2, column, "'" + t + "' is not a number");
        }
    }

    boolean has(int row, String column) {
        return !text(row, column).isEmpty();
    }

    static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out.toArray(new String[0]);
    }
}
