package saturn.runs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;

/**
 * The training run of the launcher's class-data-sharing archive (AppCDS): the {@code saturn} script runs this once
 * after each build with {@code -XX:ArchiveClassesAtExit}, so that later runs map the classes a count, W, a query
 * and the CLI load (picocli, Jackson, Lucene, Arrow, saturn's) from the archive instead of finding, reading,
 * verifying and linking them from jars: start-up measured in ngram/README.md. Counts a small synthetic corpus in a
 * temporary workspace (no tensor engine is loaded) and deletes it. Not a command.
 */
final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("saturn-cds-training");
    try {
      Workspace ws = Workspace.open(dir);
      Artifact tokens = ws.obtain(ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME,
          TokenShardFormat.FORMAT_VERSION, Map.of("cds-training", 1), List.of()), p -> {
            SplittableRandom rnd = new SplittableRandom(1);
            try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.TRAIN, 50_257, 1 << 20)) {
              for (int d = 0; d < 200; d++) {
                w.beginDocument();
                w.write(50_256);
                int[] t = new int[500];
                for (int i = 0; i < t.length; i++) t[i] = (int) Math.min(50_255, Math.abs(rnd.nextGaussian()) * 300);
                w.write(t, 0, t.length);
              }
            }
            try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.VAL, 50_257, 1 << 20)) {
              // empty
            }
            p.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, 50_257, TokenArtifact.KEY_EOT_TOKEN, 50_256,
                TokenArtifact.KEY_TOKENIZER_NAME, "cds-training", TokenArtifact.KEY_TOKENIZER_SHA256, "cds-training"));
          });
      String w = ws.root().toString();
      run("ngram", "--workspace", w, "--tokens", tokens.id(), "--memory", "256m", "--min-count", "1");
      run("ngram", "query", "--workspace", w, "--ids", "1,2,3,4");
      run("artifacts", "list", "--workspace", w);
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
      }
    }
  }

  private static void run(String... args) {
    java.io.PrintStream out = System.out;
    try {
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      Main.run(args);
    } finally {
      System.setOut(out);
    }
  }
}
