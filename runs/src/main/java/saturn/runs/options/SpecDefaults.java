package saturn.runs.options;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies picocli's defaults from a stage spec built with no options set: the option {@code --batch-size} takes the
 * value of the spec's {@code batchSize()} (or of a component of a nested record, such as the optimizer's
 * {@code weightDecay()}). So a default lives only in the spec's builder, and {@code --help} shows it.
 */
public class SpecDefaults implements CommandLine.IDefaultValueProvider {
  private final Object defaults;
  private final Map<String, String> renamed;
  private final Map<String, String> given;

  /**
   * @param defaults a spec record built with defaults only
   * @param renamed option name (without dashes) → component name, where the two differ
   */
  protected SpecDefaults(Object defaults, Map<String, String> renamed) {
    this(defaults, renamed, Map.of());
  }

  /** As above; {@code given} names the default text of options whose default is not a plain component value. */
  protected SpecDefaults(Object defaults, Map<String, String> renamed, Map<String, String> given) {
    this.defaults = defaults;
    this.renamed = renamed;
    this.given = given;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o)) return null;
    String name = o.longestName().replaceFirst("^-+", "");
    if (!(o.userObject() instanceof java.lang.reflect.Field f) || !isOptionsClass(f.getDeclaringClass())) return null;
    if (given.containsKey(name)) return given.get(name);
    Object v = find(defaults, renamed.getOrDefault(name, name).replace("-", "").toLowerCase(Locale.ROOT), 2);
    if (v == null) return null;
    if (v instanceof Collection<?> c && c.isEmpty()) return null;
    if (v instanceof Collection<?> c) return c.stream().map(String::valueOf).collect(Collectors.joining(","));
    if (v instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return String.valueOf(v);
  }

  /** Only options of the stage's own options class take defaults from its spec (not the command's input options). */
  private boolean isOptionsClass(Class<?> c) {
    return c.getName().startsWith(getClass().getName().substring(0, getClass().getName().lastIndexOf('$')));
  }

  /** The value of the record component whose lowercase name is {@code key}, searched {@code depth} levels deep. */
  static Object find(Object record, String key, int depth) {
    if (record == null || !record.getClass().isRecord() || depth == 0) return null;
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object v = value(record, c);
      if (c.getName().toLowerCase(Locale.ROOT).equals(key)) return v;
    }
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object nested = find(value(record, c), key, depth - 1);
      if (nested != null) return nested;
    }
    return null;
  }

  private static Object value(Object record, RecordComponent c) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getSimpleName(), e);
    }
  }
}
