package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;

/** `saturn train` / `saturn grok` through the CLI: options reach the stage, errors are one line with exit codes. */
class LmheadCommandsTest {
  @TempDir Path tmp;

  private String[] run(int expectedExit, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(expectedExit, Main.run(args), () -> out + "\n" + err);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void trainWithoutTokensSaysWhatToDo() {
    String[] r = run(3, "train", "--workspace", tmp.toString(), "--steps", "2");
    assertTrue(r[1].contains("no token artifact") && r[1].contains("saturn ingest"), r[1]);
  }

  @Test
  void badHeadIsAOneLineError() {
    String[] r = run(3, "train", "--workspace", tmp.toString(), "--head", "lowrank:x");
    assertTrue(r[1].contains("--head lowrank:x"), r[1]);
  }

  @Test
  void grokWritesAnArtifactWithMetrics() throws Exception {
    String[] r = run(0, "grok", "--workspace", tmp.toString(), "--modulus", "7", "--epochs", "4", "--quiet",
        "--optimizer", "ortho-adamw", "--loss", "stablemax", "--threads", "1");
    assertTrue(r[0].contains("grok-") && r[0].contains("grokStep"), r[0]);
    var a = Workspace.open(tmp).newest("grok").orElseThrow();
    assertEquals(5, Files.readAllLines(a.verifiedFile("metrics.csv")).size(), "header + 4 epochs");
    assertEquals("stablemax", a.manifest().config().path("loss").asText());
  }
}
