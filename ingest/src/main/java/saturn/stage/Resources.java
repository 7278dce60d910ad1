package saturn.stage;

/**
 * How much of the machine a stage may use. Never part of an artifact's identity (it changes how fast, not what), but
 * recorded in its provenance.
 *
 * @param threads worker threads
 * @param memoryBytes the stage's memory budget: what it may allocate for its own buffers (heap or native); a stage
 *     that would need more refuses up front with a {@link MemoryBudgetException} naming the size to ask for; each
 *     stage also refuses a budget below its own working minimum, naming it
 */
public record Resources(int threads, long memoryBytes) {
  /** The default memory budget of a stage and of a whole run ({@code --memory}, {@code execution.memory}). */
  public static final String DEFAULT_MEMORY_TEXT = "4g";
  public static final ByteSize DEFAULT_MEMORY = ByteSize.parse(DEFAULT_MEMORY_TEXT);

  public Resources {
    if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    if (memoryBytes < 1) throw new IllegalArgumentException("--memory must be positive, got " + memoryBytes);
  }

  /** Every core, {@link #DEFAULT_MEMORY}. */
  public static Resources defaults() {
    return new Resources(defaultThreads(), DEFAULT_MEMORY.bytes());
  }

  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  public Resources withThreads(int t) {
    return new Resources(t, memoryBytes);
  }

  public Resources withMemory(long bytes) {
    return new Resources(threads, bytes);
  }

  public ByteSize memory() {
    return new ByteSize(memoryBytes);
  }
}
