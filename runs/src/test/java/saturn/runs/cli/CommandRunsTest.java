package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stand-alone commands are runs of the registry like a pipeline's: {@code saturn ingest} then {@code saturn ngram} in a
 * fresh workspace show up in {@code saturn runs list}, and {@code saturn report latest} reports them; read-only
 * commands never create a workspace.
 */
class CommandRunsTest {
  @TempDir Path tmp;

  @Test
  void ingestAndNgramAreRunsThatListAndReport() throws Exception {
    StringBuilder text = new StringBuilder();
    String[] lines = {"the cat sat on the mat", "the dog sat on the log", "a cat and a dog sat on the mat"};
    for (int i = 0; i < 300; i++) text.append(lines[i % lines.length]).append(i % 5 == 0 ? ".\n\n" : ", ");
    Path corpus = Files.writeString(tmp.resolve("corpus.txt"), text);
    String ws = "--workspace=" + tmp.resolve("ws");
    CliRun.expect(0, "ingest", corpus.toString(), "--tokenizer", "gpt2", ws);
    CliRun ngram = CliRun.expect(0, "ngram", "--order", "3", "--min-count", "1", ws);
    assertTrue(ngram.err().contains("using the newest token artifact"), ngram.err());

    CliRun list = CliRun.expect(0, "runs", "list", ws);
    assertTrue(list.out().contains("ingest") && list.out().contains("ngram"), list.out());
    CliRun show = CliRun.expect(0, "runs", "show", "latest", ws);
    assertTrue(show.out().contains("ngram-counts-") && show.out().contains("ngrams-"), show.out());

    CliRun report = CliRun.expect(0, "report", "latest", ws);
    Path html = Path.of(report.out().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow().substring(8).trim());
    String page = Files.readString(html);
    assertTrue(page.contains("ngram") && page.contains("w"), "the report covers the command's stages");

    // Running the same command again finds the artifacts: a second run, everything cached.
    CliRun again = CliRun.expect(0, "ngram", "--order", "3", "--min-count", "1", ws);
    assertTrue(again.err().contains("found ngram-counts-"), again.err());
  }

  @Test
  void readOnlyCommandsDoNotCreateAWorkspace() {
    Path typo = tmp.resolve("no-such-workspace");
    for (String[] cmd : new String[][] {{"runs", "list"}, {"artifacts", "list"}, {"report", "latest"}}) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(cmd), java.util.stream.Stream.of("--workspace",
          typo.toString())).toArray(String[]::new);
      CliRun r = CliRun.expect(ExitCodes.BAD_INPUT, args);
      assertTrue(r.err().contains("no saturn workspace at " + typo), r.err());
    }
    assertFalse(Files.exists(typo));
  }

  @Test
  void exitCodesAreOneTable() {
    assertEquals(ExitCodes.BAD_INPUT, CliRun.of("train", "--lr", "NaN", "--workspace", tmp.toString()).code());
    assertEquals(ExitCodes.BAD_INPUT, CliRun.of("train", "--steps", "many", "--workspace", tmp.toString()).code());
    assertEquals(ExitCodes.USAGE, CliRun.of("train", "--no-such-option", "--workspace", tmp.toString()).code());
    String help = CliRun.of("--help").out().replaceAll("\\s+", " ");
    for (String line : ExitCodes.LIST) assertTrue(help.contains(line.substring(line.indexOf(':') + 1)), line + "\n" + help);
  }
}
