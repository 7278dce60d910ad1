package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;

class IngestCommandTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void ingestsAndFindsTheSameArtifactAgain() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Files.writeString(corpus.resolve("a.txt"), "First paragraph here.\n\nSecond one, with more words.\n\nThird.");
    Files.writeString(corpus.resolve("b.jsonl"), "{\"body\": \"a json document\"}\n{\"body\": \"another\"}\n");
    String ws = tmp.resolve("ws").toString();
    Run r = run("ingest", corpus.toString(), "--tokenizer", "gpt2", "--split-txt", "paragraph", "--text-field", "body",
        "--val-fraction", "0.2", "--workspace", ws);
    assertEquals(0, r.code(), r.err());
    String id = r.out().lines().findFirst().orElseThrow();
    assertTrue(id.startsWith("tokens-"), r.out());
    assertTrue(r.err().contains("documents  5 ("), r.err());
    var a = Workspace.open(Path.of(ws)).get(id);
    assertEquals("paragraph", a.manifest().config().get("splitTxt").asText());
    Run again = run("ingest", corpus.toString(), "--tokenizer", "gpt2", "--split-txt", "paragraph", "--text-field", "body",
        "--val-fraction", "0.2", "--workspace", ws);
    assertEquals(0, again.code());
    assertTrue(again.err().contains("found " + id), again.err());
  }

  @Test
  void badInputIsOneLineAndExitCode3() throws Exception {
    Path f = Files.writeString(tmp.resolve("x.jsonl"), "{\"content\": \"hi\"}\n");
    Run r = run("ingest", f.toString(), "--tokenizer", "gpt2", "--workspace", tmp.resolve("ws").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertEquals("saturn: " + f + ":1: no \"text\" field (keys: content); pass --text-field with the key that holds the text,"
        + " or pass --bad-records skip to skip and count such lines", r.err().strip().lines().reduce((x, y) -> y).orElse(""));
    Run bad = run("ingest", f.toString(), "--tokenizer", "gpt2", "--split-txt", "sentence", "--workspace", tmp.resolve("ws").toString());
    assertEquals(ExitCodes.BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("--split-txt sentence is not one of [file, line, paragraph]"), bad.err());
  }
}
