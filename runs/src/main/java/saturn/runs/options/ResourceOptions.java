package saturn.runs.options;

import picocli.CommandLine.Option;
import saturn.stage.ByteSize;
import saturn.stage.Resources;

/**
 * {@code --threads} and {@code --memory}: how much of the machine a stage may use. They never change an artifact,
 * only how fast it is made (and whether it fits); in a run spec they are the stage section's {@code threads} and
 * {@code memory} keys, within the run's {@code execution:} budget.
 */
public final class ResourceOptions {
  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: every core).")
  Integer threads;

  @Option(names = "--memory", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Memory budget, e.g. 512m, 4g (default: " + Resources.DEFAULT_MEMORY_TEXT + "); work that would not fit"
          + " is refused before it starts (exit 5), or spills to disk where the stage can.")
  ByteSize memory;

  public ResourceOptions() {}

  public ResourceOptions(Integer threads, ByteSize memory) {
    this.threads = threads;
    this.memory = memory;
  }

  /** What was given, the defaults for the rest. */
  public Resources resources() {
    Resources d = Resources.defaults();
    return new Resources(threads != null ? threads : d.threads(), memory != null ? memory.bytes() : d.memoryBytes());
  }

  /** Whether {@code --memory} was given (a pipeline otherwise grants the stage its share of the run's budget). */
  public boolean memoryGiven() {
    return memory != null;
  }

  public boolean threadsGiven() {
    return threads != null;
  }

  /** Parses sizes with {@link ByteSize#parse}. */
  public static final class SizeConverter implements picocli.CommandLine.ITypeConverter<ByteSize> {
    @Override
    public ByteSize convert(String value) {
      return ByteSize.parse(value);
    }
  }
}
