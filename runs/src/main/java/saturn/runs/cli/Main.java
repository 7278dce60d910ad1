package saturn.runs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import saturn.artifact.CorruptArtifactException;

/** Entry point: runs the command and turns failures into one-line messages and exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs saturn with {@code args} and returns the exit code (used by tests; never calls System.exit). */
  public static int run(String... args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
    CommandLine cl = SaturnCommand.commandLine();
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (verbose) ex.printStackTrace(err);
      err.println("saturn: " + oneLine(ex));
      err.flush();
      return exitCodeOf(ex);
    });
    return cl.execute(rest);
  }

  static String oneLine(Throwable ex) {
    String m = ex.getMessage();
    if (m == null || m.isBlank()) m = ex.getClass().getSimpleName() + " (rerun with --verbose for the trace)";
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof CorruptArtifactException) return ExitCodes.CORRUPT_ARTIFACT;
    if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) return ExitCodes.BAD_INPUT;
    if (ex instanceof OutOfMemoryError) return ExitCodes.OUT_OF_MEMORY_BUDGET;
    return ExitCodes.INTERNAL_ERROR;
  }
}
