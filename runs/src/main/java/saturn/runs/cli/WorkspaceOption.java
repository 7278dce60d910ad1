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

  public Workspace open() throws IOException {
    return Workspace.open(Workspace.defaultRoot(workspace));
  }
}
