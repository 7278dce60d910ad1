package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;

class ArtifactsCommandTest {
  @TempDir Path tmp;

  private String run(int expectedExit, String... args) {
    return CliRun.expect(expectedExit, args).out();
  }

  @Test
  void listShowVerifyAndDamage() throws Exception {
    Workspace ws = Workspace.open(tmp);
    Artifact a = ws.obtain(ArtifactSpec.of("demo", "f", 1, Map.of("k", 1), List.of()),
        p -> Files.writeString(p.dir().resolve("data.bin"), "payload"));
    String w = tmp.toString();
    assertTrue(run(0, "artifacts", "list", "--workspace", w).contains(a.id()));
    assertTrue(run(0, "artifacts", "show", a.id().substring(0, 9), "--workspace", w).contains("\"sha256\""));
    assertTrue(run(0, "artifacts", "verify", "--workspace", w).contains("ok       " + a.id()));

    Files.writeString(a.dir().resolve("data.bin"), "pAyload");
    String out = run(ExitCodes.CORRUPT_ARTIFACT, "artifacts", "verify", a.id(), "--workspace", w);
    assertTrue(out.contains("DAMAGED  " + a.id()), out);
    assertTrue(out.contains("data.bin: sha256"), out);
  }

  @Test
  void unknownIdIsABadInputWithAOneLineMessage() {
    assertEquals(ExitCodes.BAD_INPUT, Main.run("artifacts", "show", "nope", "--workspace", tmp.toString()));
  }

  @Test
  void helpListsCommandsAndVersionNamesLibraries() {
    assertTrue(run(0, "--help").contains("artifacts"));
    String v = run(0, "--version");
    assertTrue(v.contains("Lucene") && v.contains("Arrow") && v.contains("DJL") && v.contains("ND4J"), v);
  }
}
