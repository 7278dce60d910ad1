package saturn.runs.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import saturn.artifact.Workspace;

/** {@code --workspace}: shared by every command that reads or writes artifacts. */
public final class WorkspaceOption {
  @Option(names = "--workspace", paramLabel = "DIR",
      description = "Workspace directory (default: $SATURN_WORKSPACE, else ./saturn-work).")
  Path workspace;

  /** The workspace, created if needed: for commands that write artifacts. */
  public Workspace open() throws IOException {
    return Workspace.open(Workspace.defaultRoot(workspace));
  }

  /**
   * An existing workspace, for commands that only read: a mistyped --workspace is an error naming the directory, not a
   * new empty workspace.
   */
  public Workspace openExisting() throws IOException {
    Path root = Workspace.defaultRoot(workspace).toAbsolutePath().normalize();
    if (!java.nio.file.Files.isDirectory(root.resolve("artifacts"))) {
      throw new IllegalArgumentException("no saturn workspace at " + root + "; check --workspace (or $" + Workspace.ENV
          + "), or create one by running a stage there");
    }
    return Workspace.open(root);
  }
}
