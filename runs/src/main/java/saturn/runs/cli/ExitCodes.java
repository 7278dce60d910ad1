package saturn.runs.cli;

import picocli.CommandLine;
import saturn.artifact.CorruptArtifactException;
import saturn.lmhead.TrainingDivergedException;
import saturn.stage.MemoryBudgetException;

/**
 * The exit codes of every saturn command, one table: {@code saturn --help}, the README and {@link #of} use it, so the
 * same failure gets the same code in every command.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** A bug or an unexpected failure; {@code --verbose} prints the trace. */
  public static final int INTERNAL_ERROR = 1;
  /** The command line is wrong (picocli's own code). */
  public static final int USAGE = CommandLine.ExitCode.USAGE;
  /** A file, value or option named in the message is wrong; nothing was written. */
  public static final int BAD_INPUT = 3;
  /** An artifact or file is damaged (checksum, size, format version); {@code saturn artifacts verify} says more. */
  public static final int CORRUPT_ARTIFACT = 4;
  /** The work does not fit the memory budget; refused before it started, the message names the budget to ask for. */
  public static final int OUT_OF_MEMORY_BUDGET = 5;
  /** A pipeline ran but at least one stage failed (the others' artifacts are kept). */
  public static final int STAGE_FAILED = 6;
  /** The JVM or the native heap ran out of memory while working (raise -Xmx with SATURN_JAVA_OPTS, or lower --memory). */
  public static final int OUT_OF_MEMORY = 7;

  /** The table as {@code --help} shows it (picocli's exitCodeList form). */
  public static final String[] LIST = {
    "0:ok",
    "1:internal error (rerun with --verbose for the trace)",
    "2:usage error (the command line is wrong)",
    "3:bad input: a file, value or option named in the message; nothing was written",
    "4:corrupt artifact or file (run `saturn artifacts verify`)",
    "5:refused: the work does not fit the memory budget (raise --memory)",
    "6:a pipeline stage failed (`saturn runs show latest` has the error)",
    "7:out of memory while working (raise the JVM heap: SATURN_JAVA_OPTS=-Xmx...)"
  };

  private ExitCodes() {}

  /** The code of a failure, by its kind. */
  public static int of(Throwable ex) {
    if (ex instanceof CorruptArtifactException) return CORRUPT_ARTIFACT;
    if (ex instanceof MemoryBudgetException) return OUT_OF_MEMORY_BUDGET;
    if (ex instanceof OutOfMemoryError) return OUT_OF_MEMORY;
    if (ex instanceof TrainingDivergedException) return BAD_INPUT;
    if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) return BAD_INPUT;
    if (ex instanceof java.io.UncheckedIOException u) return of(u.getCause());
    return INTERNAL_ERROR;
  }
}
