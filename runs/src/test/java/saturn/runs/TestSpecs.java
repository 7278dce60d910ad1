package saturn.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small corpora and specs for tests. */
final class TestSpecs {
  private TestSpecs() {}

  static final String TEXT_A = "The cat sat on the mat. The cat ate the rat. A dog sat on the log and the cat ran.";
  static final String TEXT_B = "Small models saturate late in training; the softmax bottleneck limits what a head can say.";

  /** Writes two corpora and a spec using them; returns the spec path. */
  static Path pipeline(Path dir, String extra) throws IOException {
    Files.createDirectories(dir.resolve("corpora"));
    Files.writeString(dir.resolve("corpora/a.txt"), TEXT_A);
    Files.writeString(dir.resolve("corpora/b.txt"), TEXT_B);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, """
        name: test-pipeline
        execution: {jobs: 2, memory: 1g}
        corpora:
          - name: a
            path: corpora/a.txt
          - name: b
            paths: [corpora/b.txt]
            ingest: {val_fraction: 0.1}
        tokenizers: [gpt2]
        ngram: {order: 2}
        spectra: {rank: 8}
        models:
          presets: [tiny]
          heads: [softmax, stablemax, "lowrank:4", "lowrank:16"]
          seeds: [0]
          steps: 200
          checkpoints: {every: 50}
          corpora: [a]
        grokking:
          ops: [add]
          losses: [stablemax]
          epochs: 1000
          checkpoints: {every: 100}
        eval: {}
        """ + extra);
    return spec;
  }
}
