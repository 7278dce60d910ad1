package saturn.runs.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --verbose} and {@code --quiet}: given to any command, anywhere on the line; held by the top command. */
public final class GlobalOptions {
  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
  boolean verbose;

  @Option(names = "--quiet", scope = ScopeType.INHERIT, description = "No progress bars or progress lines (notes and results still print).")
  boolean quiet;

  public boolean verbose() {
    return verbose;
  }

  public boolean quiet() {
    return quiet;
  }

  /** The options of the command line {@code spec} belongs to. */
  static GlobalOptions of(CommandSpec spec) {
    return ((SaturnCommand) spec.root().userObject()).global;
  }
}
