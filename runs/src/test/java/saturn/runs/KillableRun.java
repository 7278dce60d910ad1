package saturn.runs;

import java.nio.file.Path;
import saturn.artifact.Workspace;
import saturn.runs.spec.SpecParser;

/** Child-JVM entry for {@link KillResumeTest}: runs a spec with slow test stages; the test kills it mid-way. */
public final class KillableRun {
  private KillableRun() {}

  public static void main(String[] args) throws Exception {
    Workspace ws = Workspace.open(Path.of(args[0]));
    long sleep = Long.parseLong(args[2]);
    Pipeline.Outcome o = new Pipeline(ws, new TestCatalog(sleep), System.out).run(SpecParser.parse(Path.of(args[1])),
        new Pipeline.Settings(2, null, false, "run"));
    System.exit(o.result().ok() ? 0 : 6);
  }
}
