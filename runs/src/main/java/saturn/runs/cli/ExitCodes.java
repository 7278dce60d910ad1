package saturn.runs.cli;

/** Exit codes of the saturn command line, as listed in {@code saturn --help}. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int USAGE = 2;
  public static final int BAD_INPUT = 3;
  public static final int CORRUPT_ARTIFACT = 4;
  public static final int OUT_OF_MEMORY_BUDGET = 5;
  /** A pipeline ran but at least one stage failed (the others' artifacts are kept). */
  public static final int STAGE_FAILED = 6;

  private ExitCodes() {}
}
