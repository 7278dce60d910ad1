package saturn.runs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: runs the command and turns failures into one-line messages and exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs saturn with {@code args} and returns the exit code (used by tests; never calls System.exit). */
  public static int run(String... args) {
    CommandLine cl = SaturnCommand.commandLine();
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (((SaturnCommand) cl.getCommand()).global.verbose()) ex.printStackTrace(err);
      err.println("saturn: " + oneLine(ex));
      err.flush();
      return ExitCodes.of(ex);
    });
    // A bad value for an option is bad input (3), as when a stage refuses it; a malformed command line is usage (2).
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((ex, rest) -> {
      if (!(ex.getCause() instanceof CommandLine.TypeConversionException) && !ex.getMessage().startsWith("Invalid value")) {
        return usage.handleParseException(ex, rest);
      }
      ex.getCommandLine().getErr().println("saturn: " + oneLine(ex) + "; `saturn " + ex.getCommandLine().getCommandSpec()
          .qualifiedName(" ").replaceFirst("^saturn ?", "") + " --help` lists the options");
      return ExitCodes.BAD_INPUT;
    });
    return cl.execute(args);
  }

  static String oneLine(Throwable ex) {
    String m = ex.getMessage();
    if (ex instanceof OutOfMemoryError) {
      m = "out of memory while working (" + m + "; JVM heap " + saturn.stage.ByteSize.format(Runtime.getRuntime().maxMemory())
          + "); raise the heap with SATURN_JAVA_OPTS=-Xmx... or lower --memory";
    }
    if (m == null || m.isBlank()) m = ex.getClass().getSimpleName() + " (rerun with --verbose for the trace)";
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static int exitCodeOf(Throwable ex) {
    return ExitCodes.of(ex);
  }
}
