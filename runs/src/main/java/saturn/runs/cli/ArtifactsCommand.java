package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.artifact.Workspace;

/** {@code saturn artifacts list | show ID | verify [ID]}. */
@Command(name = "artifacts", description = "List, show and verify the artifacts in the workspace.",
    mixinStandardHelpOptions = true,
    subcommands = {ArtifactsCommand.ListArtifacts.class, ArtifactsCommand.Show.class, ArtifactsCommand.Verify.class})
public final class ArtifactsCommand {

  @Command(name = "list", description = "One line per artifact: id, created, files, size.", mixinStandardHelpOptions = true)
  static final class ListArtifacts implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Option(names = "--stage", description = "Only this stage (tokens, ngrams, spectrum, checkpoints, eval, ...).")
    String stage;

    @Override
    public Integer call() throws Exception {
      Workspace w = ws.openExisting();
      List<Artifact> all = w.list(stage);
      if (all.isEmpty()) {
        System.out.println("no artifacts in " + w.root());
        return ExitCodes.OK;
      }
      System.out.printf("%-30s %-26s %6s %12s  %s%n", "ID", "CREATED", "FILES", "BYTES", "INPUTS");
      for (Artifact a : all) {
        long bytes = a.manifest().files().stream().mapToLong(f -> f.size()).sum();
        System.out.printf("%-30s %-26s %6d %,12d  %s%n", a.id(), a.manifest().createdAt(), a.manifest().files().size(),
            bytes, String.join(",", a.manifest().inputs()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Print an artifact's manifest.", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Parameters(paramLabel = "ID", description = "Artifact id or a unique prefix of it.")
    String id;

    @Override
    public Integer call() throws Exception {
      Artifact a = ws.openExisting().get(id);
      System.out.println(a.dir());
      System.out.println(Json.pretty(a.manifest()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = "Recompute checksums of one artifact (or all) and report damage.",
      mixinStandardHelpOptions = true)
  static final class Verify implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Artifact id or prefix; all artifacts if omitted.")
    String id;

    @Override
    public Integer call() throws Exception {
      Workspace w = ws.openExisting();
      List<Artifact> targets = id == null ? w.list(null) : List.of(w.get(id));
      int damaged = 0;
      for (Artifact a : targets) {
        List<String> problems = a.verify();
        if (problems.isEmpty()) {
          System.out.println("ok       " + a.id());
        } else {
          damaged++;
          System.out.println("DAMAGED  " + a.id());
          for (String p : problems) System.out.println("         " + a.dir().resolve(p.substring(0, p.indexOf(':'))) + p.substring(p.indexOf(':')));
        }
      }
      System.out.println(targets.size() + " checked, " + damaged + " damaged");
      return damaged == 0 ? ExitCodes.OK : ExitCodes.CORRUPT_ARTIFACT;
    }
  }
}
