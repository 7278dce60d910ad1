package saturn.runs.cli;

/** Exit codes of the saturn command line, as listed in {@code saturn --help}. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int USAGE = 2;
  public static final int BAD_INPUT = 3;
  public static final int CORRUPT_ARTIFACT = 4;
  public static final int OUT_OF_MEMORY_BUDGET = 5;

  private ExitCodes() {}
}
