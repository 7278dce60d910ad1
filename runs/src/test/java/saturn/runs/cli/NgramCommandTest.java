package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;

/** {@code saturn ngram}, {@code ngram query}, {@code ngram export} through {@link Main#run}. */
class NgramCommandTest {
  @TempDir Path tmp;

  private String run(int expectedExit, String... args) {
    return CliRun.expect(expectedExit, args).all();
  }

  private static Artifact tokens(Workspace ws, String name, String sha, int[]... docs) throws Exception {
    return ws.obtain(ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION,
        Map.of("test", name), List.of()), p -> {
          try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.TRAIN, 100_000, 1 << 20)) {
            for (int[] d : docs) {
              w.beginDocument();
              w.write(99_999);
              w.write(d, 0, d.length);
            }
          }
          p.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, 100_000, TokenArtifact.KEY_EOT_TOKEN, 99_999,
              TokenArtifact.KEY_TOKENIZER_NAME, name, TokenArtifact.KEY_TOKENIZER_SHA256, sha));
        });
  }

  @Test
  void countQueryExportMergeAndRefusals() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    String w = ws.root().toString();
    Artifact a = tokens(ws, "a", "same", new int[] {1, 2, 3, 70_000, 5, 1, 2, 3, 70_000, 6, 1, 2, 3, 70_000, 5});
    String out = run(0, "ngram", "--workspace", w, "--tokens", a.id(), "--memory", "64m");
    assertTrue(out.contains("distinct"), out);
    assertTrue(out.contains("W: 1 x 100,000"), out); // only context (1,2,3,70000) is seen twice or more (3 times)

    out = run(0, "ngram", "query", "--workspace", w, "--ids", "1,2,3,70000");
    assertTrue(out.contains("seen 3 times"), out);
    assertTrue(out.contains("0.66667"), out); // next 5 twice out of 3
    out = run(0, "ngram", "query", "--workspace", w, "--ids", "1,2,3,70000,5", "--count");
    assertTrue(out.contains("count 2"), out);

    Path npz = tmp.resolve("W.npz");
    out = run(0, "ngram", "export", "--workspace", w, "--format", "npz", "-o", npz.toString());
    assertTrue(Files.size(npz) > 0 && out.contains("nnz"), out);
    run(ExitCodes.BAD_INPUT, "ngram", "export", "--workspace", w, "--format", "csv");

    // incremental: merge new tokens into the counts
    Artifact b = tokens(ws, "b", "same", new int[] {1, 2, 3, 70_000, 7});
    String countsId = ws.newest("ngram-counts").orElseThrow().id();
    out = run(0, "ngram", "--workspace", w, "--tokens", b.id(), "--merge-into", countsId, "--counts-only");
    out = run(0, "ngram", "query", "--workspace", w, "--ids", "1,2,3,70000");
    assertTrue(out.contains("seen 4 times"), out);

    // refusals: another tokenizer, nothing above the threshold, corrupt store
    Artifact c = tokens(ws, "c", "other", new int[] {1, 2, 3, 4, 5});
    out = run(ExitCodes.BAD_INPUT, "ngram", "--workspace", w, "--tokens", c.id(), "--merge-into", countsId);
    assertTrue(out.contains("different tokenizers"), out);
    out = run(ExitCodes.BAD_INPUT, "ngram", "--workspace", w, "--tokens", c.id(), "--min-count", "5");
    assertTrue(out.contains("lower --min-count"), out);
    Artifact counts = ws.get(countsId);
    Path tim;
    try (var files = Files.walk(counts.dir())) {
      tim = files.filter(p -> p.toString().endsWith(".tim")).findFirst().orElseThrow();
    }
    tim.toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(tim);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(tim, bytes);
    out = run(ExitCodes.CORRUPT_ARTIFACT, "ngram", "query", countsId, "--workspace", w, "--ids", "1,2,3,70000");
    assertTrue(out.contains(tim.getFileName().toString()), out);
  }

  /** Issue 17, cases 6 and 7 at the command line: a failing partition writer and a budget below the minimum. */
  @Test
  void aFailingPartitionWriterExitsNonZeroAndPublishesNothing() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    String w = ws.root().toString();
    int[] doc = new int[5000];
    for (int i = 0; i < doc.length; i++) doc[i] = (i * 7919) % 3001;
    Artifact a = tokens(ws, "a", "same", doc);
    String out = run(ExitCodes.OUT_OF_MEMORY_BUDGET, "ngram", "--workspace", w, "--tokens", a.id(), "--memory", "1k");
    assertTrue(out.contains("--memory 1k is below") && out.contains("at least 48m"), out);
    System.setProperty("saturn.ngram.failPartition", "1:100"); // test hook: partition 1's Lucene writer fails
    try {
      CliRun r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),
          () -> CliRun.of("ngram", "--workspace", w, "--tokens", a.id(), "--threads", "2"));
      assertTrue(r.code() != 0 && r.all().contains("injected failure in partition 1"), r.all());
    } finally {
      System.clearProperty("saturn.ngram.failPartition");
    }
    assertTrue(ws.list("ngram-counts").isEmpty(), "nothing published");
  }
}
