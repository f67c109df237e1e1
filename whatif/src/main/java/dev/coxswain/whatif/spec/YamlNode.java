package dev.coxswain.whatif.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coxswain.core.BadInputException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A YAML document as a tree whose every node remembers its file, line and dotted path, so that a typed reader can
 * reject a value with a message such as {@code jobs.yaml:12: jobs[0].placement: ...}. Mappings keep key order.
 * Unknown keys are reported by {@link #checkKeys}. Built with Jackson's streaming YAML parser; no binding magic.
 */
public final class YamlNode {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String file;
    private final int line;
    private final String path;
    private final Object value;

    private YamlNode(String file, int line, String path, Object value) {
        this.file = file;
        this.line = line;
        this.path = path;
        this.value = value;
    }

    /** Parses one YAML document; syntax errors come back as {@link BadInputException} with the parser's line. */
    public static YamlNode parse(String file, Reader in) {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new BadInputException(file, 1, "document", "the file is empty");
            }
            return read(file, p, "");
        } catch (BadInputException e) {
            throw e;
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation().getLineNr() : 0;
            throw new BadInputException(file, line, "document", "not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n", 2)[0];
    }

    private static YamlNode read(String file, JsonParser p, String path) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, YamlNode> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                String child = path.isEmpty() ? key : path + "." + key;
                if (map.put(key, read(file, p, child)) != null) {
                    throw new BadInputException(file, p.currentTokenLocation().getLineNr(), child, "key given twice");
                }
            }
            return new YamlNode(file, line, path, Collections.unmodifiableMap(map));
        }
        if (t == JsonToken.START_ARRAY) {
            List<YamlNode> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(file, p, path + "[" + list.size() + "]"));
            }
            return new YamlNode(file, line, path, Collections.unmodifiableList(list));
        }
        if (t == JsonToken.VALUE_NULL) {
            return new YamlNode(file, line, path, null);
        }
        return new YamlNode(file, line, path, p.getText());
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String path() {
        return path;
    }

    public BadInputException bad(String problem) {
        return new BadInputException(file, line, path.isEmpty() ? "document" : path, problem);
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    @SuppressWarnings("unchecked")
    public Map<String, YamlNode> asMap() {
        if (!isMap()) {
            throw bad("expected a mapping of keys to values");
        }
        return (Map<String, YamlNode>) value;
    }

    @SuppressWarnings("unchecked")
    public List<YamlNode> asList() {
        if (!isList()) {
            throw bad("expected a list");
        }
        return (List<YamlNode>) value;
    }

    /** Fails on keys other than {@code allowed}, naming the first unknown key and the known ones. */
    public YamlNode checkKeys(Set<String> allowed) {
        for (Map.Entry<String, YamlNode> e : asMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().bad("unknown key; known keys here: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return this;
    }

    public boolean has(String key) {
        return asMap().containsKey(key) && asMap().get(key).value != null;
    }

    public YamlNode get(String key) {
        YamlNode n = asMap().get(key);
        if (n == null || n.value == null) {
            String child = path.isEmpty() ? key : path + "." + key;
            throw new BadInputException(file, line, child, "required key missing");
        }
        return n;
    }

    public String asText() {
        if (!(value instanceof String s)) {
            throw bad("expected a single value");
        }
        return s;
    }

    public double asDouble(double min, double max) {
        double v;
        try {
            v = Double.parseDouble(asText().trim());
        } catch (NumberFormatException e) {
            throw bad("'" + asText() + "' is not a number");
        }
        if (!Double.isFinite(v) || v < min || v > max) {
            throw bad(v + " is outside " + min + " .. " + max);
        }
        return v;
    }

    public int asInt(int min, int max) {
        int v;
        try {
            v = Integer.parseInt(asText().trim());
        } catch (NumberFormatException e) {
            throw bad("'" + asText() + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw bad(v + " is outside " + min + " .. " + max);
        }
        return v;
    }

    public <E extends Enum<E>> E asEnum(Class<E> type) {
        String text = asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw bad("'" + asText() + "' is not one of " + String.join(", ", names));
    }

    public double getDouble(String key, double min, double max, double dflt) {
        return has(key) ? get(key).asDouble(min, max) : dflt;
    }

    public int getInt(String key, int min, int max, int dflt) {
        return has(key) ? get(key).asInt(min, max) : dflt;
    }

    public String getText(String key, String dflt) {
        return has(key) ? get(key).asText() : dflt;
    }
}
