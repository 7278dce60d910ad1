package saturn.ngram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.PendingArtifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.ngram.format.ContextMatrixFormat;
import saturn.ngram.format.NgramStoreFormat;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.format.NgramStoreWriter;
import saturn.ngram.internal.ContextMatrixBuilder;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.NgramCounter;
import saturn.ngram.internal.RunMerger;
import saturn.ngram.internal.SortedCounts;

/**
 * The ngram stage: token artifacts → n-gram counts (a Lucene store, stage {@value #COUNTS_STAGE}) → W, the
 * context-to-next-token matrix (Arrow CSR, stage {@value #MATRIX_STAGE}). Both the CLI and the pipeline call this.
 */
public final class NgramStage {
  public static final String COUNTS_STAGE = "ngram-counts";
  public static final String MATRIX_STAGE = "ngrams";
  /** Share of the memory budget given to the sort buffers; the rest covers merge buffers and Lucene. */
  static final double BUFFER_SHARE = 0.6;

  private NgramStage() {}

  /** Statistics of a count artifact, as written into its manifest. */
  public record CountArtifactStats(int order, int vocabSize, int eotToken, String tokenizerName, String tokenizerSha256,
      int bytesPerToken, int partitions, List<String> tokenArtifacts, long tokens, long ngrams, long distinctNgrams,
      long distinctContexts, long maxCount, Map<String, Long> countsOfCounts, long bytesSpilled, int spilledRuns,
      double countSeconds, double storeSeconds, double seconds) {}

  /** Statistics of a context-matrix artifact, as written into its manifest. */
  public record MatrixStats(long rows, int cols, long nnz, long contextsBeforeFiltering, long contextsWithMinCount,
      long contextsKept, long ngramsInRows, long maxContextCount, double seconds) {}

  /** Counts the n-grams of {@code tokens} (one or more token artifacts with the same tokenizer). */
  public static Artifact count(Workspace ws, NgramConfig config, List<Artifact> tokens) throws IOException {
    List<TokenArtifact> ins = tokenArtifacts(tokens, null);
    List<String> ids = ins.stream().map(TokenArtifact::id).toList();
    ArtifactSpec spec = ArtifactSpec.of(COUNTS_STAGE, NgramStoreFormat.FORMAT_NAME, NgramStoreFormat.FORMAT_VERSION,
        new NgramConfig.CountSpec(config.order(), config.splits(), null), ids);
    return ws.obtain(spec, pending -> build(pending, config, ins, null));
  }

  /**
   * Adds the n-gram counts of {@code newTokens} to an existing count artifact without recounting what it holds;
   * the new artifact's inputs are the existing counts and the new token artifacts.
   */
  public static Artifact merge(Workspace ws, NgramConfig config, Artifact existingCounts, List<Artifact> newTokens) throws IOException {
    NgramCounts old = NgramCounts.of(existingCounts);
    if (config.order() != old.order()) {
      throw new IllegalArgumentException(old.id() + " holds " + old.order() + "-grams; merging needs the same order (pass --order "
          + old.order() + " or leave it out)");
    }
    List<TokenArtifact> ins = tokenArtifacts(newTokens, old);
    List<String> inputs = new ArrayList<>();
    inputs.add(old.id());
    ins.forEach(t -> inputs.add(t.id()));
    ArtifactSpec spec = ArtifactSpec.of(COUNTS_STAGE, NgramStoreFormat.FORMAT_NAME, NgramStoreFormat.FORMAT_VERSION,
        new NgramConfig.CountSpec(config.order(), config.splits(), old.id()), inputs);
    return ws.obtain(spec, pending -> build(pending, config, ins, old));
  }

  private static List<TokenArtifact> tokenArtifacts(List<Artifact> tokens, NgramCounts existing) throws IOException {
    if (tokens.isEmpty()) throw new IllegalArgumentException("no token artifact given; run `saturn ingest` first or pass --tokens ID");
    List<TokenArtifact> out = new ArrayList<>();
    for (Artifact a : tokens) out.add(TokenArtifact.of(a));
    String sha = existing != null ? existing.tokenizerSha256() : out.get(0).tokenizerSha256();
    String name = existing != null ? existing.tokenizerName() : out.get(0).tokenizerName();
    String ref = existing != null ? existing.id() : out.get(0).id();
    int vocab = existing != null ? existing.vocabSize() : out.get(0).vocabSize();
    for (TokenArtifact t : out) {
      if (!t.tokenizerSha256().equals(sha) || t.vocabSize() != vocab) {
        throw new IllegalArgumentException(t.id() + " was tokenized with " + t.tokenizerName() + " (sha256 "
            + abbrev(t.tokenizerSha256()) + ", vocabulary " + t.vocabSize() + ") but " + ref + " with " + name + " (sha256 "
            + abbrev(sha) + ", vocabulary " + vocab + "); n-grams of different tokenizers cannot be combined — "
            + "re-ingest the corpus with the same --tokenizer");
      }
    }
    return out;
  }

  private static String abbrev(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
  }

  private static void build(PendingArtifact pending, NgramConfig config, List<TokenArtifact> ins, NgramCounts old) throws IOException {
    long start = System.nanoTime();
    TokenArtifact first = ins.get(0);
    int vocab = first.vocabSize();
    KeyCodec codec = new KeyCodec(config.order(), vocab);
    int bytesPerToken = codec.bytesPerToken();
    List<TokenShardReader> readers = new ArrayList<>();
    List<NgramCounter.Input> inputs = new ArrayList<>();
    Path scratch = pending.workspace().scratch().resolve("ngram-" + pending.id() + "-" + Long.toHexString(System.nanoTime()));
    long tokenCount = 0;
    NgramCountStats stats;
    long spilled;
    int runs;
    double countSeconds;
    try {
      for (TokenArtifact t : ins) {
        for (String split : config.splits()) {
          if (split.equals(TokenShardFormat.VAL) && !Files.isRegularFile(t.artifact().dir().resolve(TokenShardFormat.shardName(split, 0)))) {
            continue; // an artifact without a val split simply has no val n-grams
          }
          TokenShardReader r = t.open(split);
          readers.add(r);
          inputs.add(new NgramCounter.Input(r, t.eotToken()));
          tokenCount += r.size();
        }
      }
      long bufferBudget = (long) (config.memoryBudgetBytes() * BUFFER_SHARE);
      long heap = Runtime.getRuntime().maxMemory();
      if (bufferBudget > heap * 0.75) {
        throw new IllegalArgumentException(String.format("--memory %,d bytes needs %,d bytes of sort buffers but the JVM heap is"
            + " only %,d bytes; lower --memory or raise the heap (SATURN_JAVA_OPTS=-Xmx...)", config.memoryBudgetBytes(),
            bufferBudget, heap));
      }
      try (NgramCounter counter = new NgramCounter(codec, config.threads(), bufferBudget, scratch)) {
        SortedCounts counted = counter.count(inputs);
        countSeconds = (System.nanoTime() - start) / 1e9;
        NgramStoreReader oldStore = old == null ? null : old.open(true);
        try {
          SortedCounts all = oldStore == null ? counted : new RunMerger(codec, List.of(counted, oldStore.sortedCounts(codec)));
          stats = NgramStoreWriter.write(all, codec, pending.dir().resolve(NgramStoreFormat.INDEX_DIR),
              config.threads());
        } finally {
          if (oldStore != null) oldStore.close();
        }
        spilled = counter.bytesSpilled();
        runs = counter.runsSpilled();
      }
    } finally {
      for (TokenShardReader r : readers) r.close();
    }
    if (stats.distinctNgrams() == 0) {
      throw new IllegalArgumentException(String.join(",", ins.stream().map(TokenArtifact::id).toList()) + ": " + tokenCount
          + " tokens but no document has " + config.order() + " tokens in a row; nothing to count — ingest a larger corpus"
          + " or lower --order");
    }
    Path tok = first.artifact().dir().resolve(TokenArtifact.TOKENIZER_FILE);
    if (first.artifact().manifest().file(TokenArtifact.TOKENIZER_FILE) != null && Files.isRegularFile(tok)) {
      Files.copy(first.artifact().verifiedFile(TokenArtifact.TOKENIZER_FILE), pending.dir().resolve(NgramStoreFormat.TOKENIZER_FILE));
    }
    LinkedHashSet<String> leaves = new LinkedHashSet<>();
    if (old != null) {
      leaves.addAll(old.tokenArtifacts());
      if (old.artifact().manifest().file(NgramStoreFormat.TOKENIZER_FILE) != null
          && !Files.exists(pending.dir().resolve(NgramStoreFormat.TOKENIZER_FILE))) {
        Files.copy(old.artifact().verifiedFile(NgramStoreFormat.TOKENIZER_FILE), pending.dir().resolve(NgramStoreFormat.TOKENIZER_FILE));
      }
    }
    ins.forEach(t -> leaves.add(t.id()));
    double seconds = (System.nanoTime() - start) / 1e9;
    double storeSeconds = seconds - countSeconds;
    pending.stats(new CountArtifactStats(config.order(), vocab, first.eotToken(), first.tokenizerName(),
        first.tokenizerSha256(), bytesPerToken, config.threads(), List.copyOf(leaves), tokenCount, stats.ngrams(), stats.distinctNgrams(),
        stats.distinctContexts(), stats.maxCount(), stats.countsOfCounts(), spilled, runs, countSeconds,
        storeSeconds, seconds));
    pending.provenance("memoryBudgetBytes", config.memoryBudgetBytes());
    pending.provenance("threads", config.threads());
  }

  /** Builds W from a count artifact. */
  public static Artifact contextMatrix(Workspace ws, ContextMatrixConfig config, Artifact countsArtifact) throws IOException {
    NgramCounts counts = NgramCounts.of(countsArtifact);
    ArtifactSpec spec = ArtifactSpec.of(MATRIX_STAGE, ContextMatrixFormat.FORMAT_NAME, ContextMatrixFormat.FORMAT_VERSION,
        config, List.of(counts.id()));
    return ws.obtain(spec, pending -> {
      if (config.sampleContexts() > 0) pending.seed("sampleContexts", config.seed());
      long start = System.nanoTime();
      try (NgramStoreReader store = counts.open(true)) {
        ContextMatrixBuilder.Result r = ContextMatrixBuilder.build(store, counts.vocabSize(), config, pending.dir(), counts.id());
        pending.stats(new MatrixStats(r.rows(), counts.vocabSize(), r.nnz(), r.contextsBefore(), r.contextsWithMinCount(),
            r.rows(), r.ngramsInRows(), r.maxContextCount(), (System.nanoTime() - start) / 1e9));
      }
    });
  }

  /** The count artifact a context-matrix artifact was built from. */
  public static Artifact countsOf(Workspace ws, Artifact matrix) throws IOException {
    if (COUNTS_STAGE.equals(matrix.stage())) return matrix;
    if (!MATRIX_STAGE.equals(matrix.stage()) || matrix.manifest().inputs().isEmpty()) {
      throw new IllegalArgumentException(matrix.id() + " is neither an n-gram count nor a W artifact");
    }
    return ws.get(matrix.manifest().inputs().get(0));
  }

  /** Export formats of W. */
  public enum ExportFormat { NPZ, MTX }

  /** Writes W of a context-matrix artifact to {@code output} (npz: scipy.sparse.load_npz; mtx: Matrix Market). */
  public static CsrMatrix export(Artifact matrix, ExportFormat format, Path output) throws IOException {
    CsrMatrix w = saturn.ngram.format.ContextMatrixReader.read(matrix);
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    switch (format) {
      case NPZ -> saturn.ngram.format.NpzWriter.write(w, output);
      case MTX -> saturn.ngram.format.MatrixMarketWriter.write(w, output,
          "W of " + matrix.id() + ": rows = contexts (see contexts.arrow), columns = token ids, P(next | context)");
    }
    return w;
  }
}
