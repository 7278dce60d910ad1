package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.Sizes;

/**
 * Reads a stage's options from its spec section, key by key; {@link #done()} fails on any key no one read, naming the
 * spec line, so a misspelt option is an error rather than silently ignored.
 */
final class Options {
  private final JsonNode node;
  private final RunSpec.Where where;
  private final String section;
  private final Set<String> read = new LinkedHashSet<>();

  Options(JsonNode node, RunSpec.Where where, String section) {
    this.node = node;
    this.where = where;
    this.section = section;
  }

  boolean has(String key) {
    read.add(key);
    return node != null && node.hasNonNull(key);
  }

  String string(String key, String def) {
    return has(key) ? node.get(key).asText() : def;
  }

  long integer(String key, long def) {
    if (!has(key)) return def;
    JsonNode v = node.get(key);
    if (!v.canConvertToLong() || (v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble()))) {
      throw errorAt(key, key + " must be an integer, found " + v);
    }
    return v.asLong();
  }

  double number(String key, double def) {
    if (!has(key)) return def;
    JsonNode v = node.get(key);
    if (!v.isNumber()) throw errorAt(key, key + " must be a number, found " + v);
    return v.asDouble();
  }

  boolean bool(String key, boolean def) {
    if (!has(key)) return def;
    JsonNode v = node.get(key);
    if (!v.isBoolean()) throw errorAt(key, key + " must be true or false, found " + v);
    return v.asBoolean();
  }

  long bytes(String key, long def) {
    if (!has(key)) return def;
    try {
      return Sizes.parseBytes(node.get(key).asText());
    } catch (IllegalArgumentException e) {
      throw errorAt(key, key + ": " + e.getMessage());
    }
  }

  List<String> strings(String key, List<String> def) {
    if (!has(key)) return def;
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v.isArray()) v.forEach(x -> out.add(x.asText()));
    else out.add(v.asText());
    return out;
  }

  IllegalArgumentException error(String message) {
    return where.error(section + ": " + message);
  }

  IllegalArgumentException errorAt(String key, String message) {
    return where.errorAt(key, section + ": " + message);
  }

  /** Marks keys that belong to a sibling stage reading the same section (so {@link #done()} accepts them). */
  Options alsoKnown(String... keys) {
    read.addAll(List.of(keys));
    return this;
  }

  /** Fails on options no one asked for. */
  void done() {
    if (node == null) return;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!read.contains(k)) throw errorAt(k, "unknown option '" + k + "'; expected one of " + read);
    }
  }
}
