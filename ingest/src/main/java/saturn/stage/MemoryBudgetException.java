package saturn.stage;

/**
 * A stage refused to start because its work does not fit the memory budget it was given (exit code 5). The message
 * names the budget to ask for. Distinct from {@link OutOfMemoryError}: that is the JVM or the native heap running out
 * while working, which is reported as such.
 */
public class MemoryBudgetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MemoryBudgetException(String message) {
    super(message);
  }
}
