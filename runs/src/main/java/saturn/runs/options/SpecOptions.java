package saturn.runs.options;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.SpecException;

/**
 * Reads a run-spec section through the command-line option classes: the key {@code foo_bar} is the option
 * {@code --foo-bar} of the same stage's command, with the same parsing, validation and defaults. An unknown key or a
 * bad value is a {@link SpecException} at the key's line that names the command whose {@code --help} lists the keys.
 */
public final class SpecOptions {
  private SpecOptions() {}

  /**
   * Sets {@code targets}' options from {@code options} (a YAML mapping, may be null), as if given to {@code saturn
   * <command>}; keys in {@code ignored} belong to someone else (the planner) and are skipped.
   */
  public static void parse(JsonNode options, RunSpec.Where where, String section, String command, List<String> ignored,
      Object... targets) {
    if (options == null || options.isNull() || options.isEmpty()) return;
    CommandSpec spec = CommandSpec.create();
    for (int i = 0; i < targets.length; i++) spec.addMixin("options" + i, CommandSpec.forAnnotatedObject(targets[i]));
    List<String> args = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (ignored.contains(e.getKey())) continue;
      args.addAll(arguments(e.getKey(), e.getValue(), where, section, spec, command));
    }
    CommandLine cl = new CommandLine(spec);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      cl.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      String key = e.getArgSpec() instanceof OptionSpec o ? keyOf(o.longestName()) : null;
      String message = message(e.getMessage());
      throw key == null ? where.error(section + ": " + message) : where.errorAt(key, section + ": " + message);
    }
  }

  /** picocli's "Invalid value for option '--lr': 'fast' is not a double" as "lr: 'fast' is not a number". */
  static String message(String picocli) {
    String m = picocli.replaceFirst("^Invalid value for option '--([a-z0-9-]+)': ", "$1: ")
        .replaceAll("'--([a-z0-9-]+)'", "$1");
    m = m.replace("is not a double", "is not a number").replace("is not a float", "is not a number")
        .replace("is not an int", "is not an integer").replace("is not a long", "is not an integer");
    int colon = m.indexOf(':');
    return colon > 0 ? m.substring(0, colon).replace('-', '_') + m.substring(colon) : m;
  }

  private static List<String> arguments(String key, JsonNode value, RunSpec.Where where, String section, CommandSpec spec,
      String command) {
    String option = "--" + key.replace('_', '-');
    if (spec.findOption(option) == null || !key.equals(key.toLowerCase(java.util.Locale.ROOT))) {
      throw where.errorAt(key, section + ": unknown option '" + key + "'; `saturn " + command + " --help` lists the"
          + " options, written there as --kebab-case (" + knownKeys(spec) + ")");
    }
    if (value.isObject()) throw where.errorAt(key, section + ": " + key + " must be a value or a list, not a mapping");
    if (value.isBoolean()) return List.of(option + "=" + value.asBoolean());
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.asText()));
      return List.of(option, String.join(",", items));
    }
    return List.of(option, value.asText());
  }

  private static String keyOf(String optionName) {
    return optionName.replaceFirst("^-+", "").replace('-', '_');
  }

  private static String knownKeys(CommandSpec spec) {
    List<String> keys = new ArrayList<>();
    for (OptionSpec o : spec.options()) keys.add(keyOf(o.longestName()));
    return String.join(", ", keys);
  }
}
