package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ngram.ContextMatrixSpec;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.NgramSpec;
import saturn.ngram.NgramStage;

class SpectraCommandTest {
  @TempDir Path tmp;

  private String run(int expectedExit, String... args) {
    return CliRun.expect(expectedExit, args).out();
  }

  @Test
  void noNgramsArtifactIsBadInput() {
    run(ExitCodes.BAD_INPUT, "spectra", "--workspace", tmp.resolve("empty").toString());
  }

  @Test
  void spectraThenCompareOnATinyCorpus() throws Exception {
    Path text = tmp.resolve("text.txt");
    StringBuilder sb = new StringBuilder();
    String[] words = {"the cat sat on the mat", "the dog sat on the log", "a cat and a dog sat on the mat",
        "the bird sat on the cat", "on the mat the cat sat still"};
    for (int i = 0; i < 40; i++) sb.append(words[i % words.length]).append(i % 7 == 0 ? ".\n" : ", ");
    Files.writeString(text, sb.toString());
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    saturn.stage.StageContext ctx = saturn.stage.StageContext.of(ws)
        .withResources(new saturn.stage.Resources(2, 64L << 20));
    Artifact tokens = new IngestStage().run(IngestSpec.builder().setInputs(List.of(text.toString())).setTokenizer("gpt2")
        .optValFraction(0).build(), ctx);
    Artifact counts = new NgramStage().run(NgramSpec.builder().setTokens(tokens.id()).build(), ctx);
    Artifact w = new ContextMatrixStage().run(ContextMatrixSpec.builder().setCounts(counts.id()).build(), ctx);
    String wsDir = tmp.resolve("ws").toString();
    String out = run(0, "spectra", "--workspace", wsDir, "--ngrams", w.id(), "--rank", "4096");
    assertTrue(out.contains("W_err(k)"), out);
    String id = out.lines().findFirst().orElseThrow().trim();
    assertTrue(id.startsWith("spectrum-"), out);
    Path cmp = tmp.resolve("cmp");
    String table = run(0, "spectra", "compare", id, id, "--label", "a", "--label", "b", "--workspace", wsDir,
        "--out", cmp.toString());
    assertTrue(table.contains("d_at_0.6"), table);
    assertTrue(Files.size(cmp.resolve("compare_w_error.svg")) > 1000);
    // memory budget too small: exit 5
    run(ExitCodes.OUT_OF_MEMORY_BUDGET, "spectra", "--workspace", wsDir, "--ngrams", w.id(), "--rank", "3", "--memory", "1k");
  }
}
