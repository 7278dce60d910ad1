package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;

class IngestCommandTest {
  @TempDir Path tmp;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void ingestsAndFindsTheSameArtifactAgain() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Files.writeString(corpus.resolve("a.txt"), "First paragraph here.\n\nSecond one, with more words.\n\nThird.");
    Files.writeString(corpus.resolve("b.jsonl"), "{\"body\": \"a json document\"}\n{\"body\": \"another\"}\n");
    String ws = tmp.resolve("ws").toString();
    CliRun r = run("ingest", corpus.toString(), "--tokenizer", "gpt2", "--split-txt", "paragraph", "--text-field", "body",
        "--val-fraction", "0.2", "--workspace", ws);
    assertEquals(0, r.code(), r.err());
    String id = r.out().lines().findFirst().orElseThrow();
    assertTrue(id.startsWith("tokens-"), r.out());
    assertTrue(r.err().contains("documents  5 ("), r.err());
    var a = Workspace.open(Path.of(ws)).get(id);
    assertEquals("paragraph", a.manifest().config().get("splitTxt").asText());
    CliRun again = run("ingest", corpus.toString(), "--tokenizer", "gpt2", "--split-txt", "paragraph", "--text-field", "body",
        "--val-fraction", "0.2", "--workspace", ws);
    assertEquals(0, again.code());
    assertTrue(again.err().contains("found " + id), again.err());
  }

  @Test
  void badInputIsOneLineAndExitCode3() throws Exception {
    Path f = Files.writeString(tmp.resolve("x.jsonl"), "{\"content\": \"hi\"}\n");
    CliRun r = run("ingest", f.toString(), "--tokenizer", "gpt2", "--workspace", tmp.resolve("ws").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertEquals("saturn: " + f + ":1: no \"text\" field (keys: content); pass --text-field with the key that holds the text,"
        + " or pass --bad-records skip to skip and count such lines", r.err().strip().lines().reduce((x, y) -> y).orElse(""));
    CliRun bad = run("ingest", f.toString(), "--tokenizer", "gpt2", "--split-txt", "sentence", "--workspace", tmp.resolve("ws").toString());
    assertEquals(ExitCodes.BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("--split-txt") && bad.err().contains("sentence") && bad.err().contains("FILE, LINE, PARAGRAPH"), bad.err());
  }
}
