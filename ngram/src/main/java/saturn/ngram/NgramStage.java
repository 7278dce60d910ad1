package saturn.ngram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.PendingArtifact;
import saturn.artifact.Workspace;
import saturn.ingest.IngestStage;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.ngram.format.NgramStoreFormat;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.format.NgramStoreWriter;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.MemoryPlan;
import saturn.ngram.internal.NgramCounter;
import saturn.ngram.internal.Stop;
import saturn.ngram.internal.SortedCounts;
import saturn.stage.Inputs;
import saturn.stage.Stage;
import saturn.stage.StageContext;

/**
 * The ngram stage: token artifacts → exact n-gram counts in a Lucene store (stage {@value #COUNTS_STAGE}). W, the
 * context-to-next-token matrix built from the counts, is the next stage, {@link ContextMatrixStage}. Both the CLI and
 * the pipeline call this.
 */
public final class NgramStage implements Stage<NgramSpec> {
  public static final String COUNTS_STAGE = "ngram-counts";
  /** The W stage's name (kept here for readers that predate {@link ContextMatrixStage}). */
  public static final String MATRIX_STAGE = ContextMatrixStage.STAGE;
  /** Where spilled runs go inside the stage's temporary directory (removed before publishing). */
  static final String SPILL_DIR = ".spill";
  /**
   * Test hooks (never set in normal use): {@code -Dsaturn.ngram.tableBytes=N} gives each thread's count table N bytes
   * whatever the budget (forces spills), {@code -Dsaturn.ngram.fanIn=F} the merge fan-in (forces merge passes).
   */
  static final String TABLE_BYTES_PROPERTY = "saturn.ngram.tableBytes";
  static final String FAN_IN_PROPERTY = "saturn.ngram.fanIn";

  /** Statistics of a count artifact, as written into its manifest. */
  public record CountArtifactStats(int order, int vocabSize, int eotToken, String tokenizerName, String tokenizerSha256,
      int bytesPerToken, int partitions, List<String> tokenArtifacts, List<String> corpusFiles, long tokens, long ngrams,
      long distinctNgrams, long distinctContexts, long maxCount, Map<String, Long> countsOfCounts, long bytesSpilled,
      int spilledRuns, double countSeconds, double storeSeconds, double seconds) {}

  @Override
  public String name() {
    return COUNTS_STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, NgramSpec spec) throws IOException {
    Opened in = Opened.of(ws, spec);
    return ArtifactSpec.of(COUNTS_STAGE, NgramStoreFormat.FORMAT_NAME, NgramStoreFormat.FORMAT_VERSION, spec, in.all());
  }

  @Override
  public Artifact make(NgramSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    Opened in = Opened.of(ctx.workspace(), spec);
    memoryPlan(ctx); // refuses a budget below the working minimum before anything is written
    return ctx.workspace().obtain(identity, pending -> build(pending, spec, ctx, in.tokens(), in.base()));
  }

  /** The inputs a spec names, opened and checked: same tokenizer everywhere, no token artifact or corpus file twice. */
  record Opened(NgramCounts base, List<TokenArtifact> tokens) {
    static Opened of(Workspace ws, NgramSpec spec) throws IOException {
      NgramCounts base = spec.mergeInto() == null ? null
          : NgramCounts.of(Inputs.open(ws, spec.mergeInto(), COUNTS_STAGE, "--merge-into"));
      if (base != null && spec.order() != base.order()) {
        throw new IllegalArgumentException(base.id() + " holds " + base.order() + "-grams; merging needs the same order"
            + " (pass --order " + base.order() + " or leave it out)");
      }
      List<TokenArtifact> tokens = tokenArtifacts(Inputs.openAll(ws, spec.tokens(), TokenArtifact.STAGE, "--tokens"), base);
      checkNoOverlap(base, tokens);
      return new Opened(base, tokens);
    }

    List<Artifact> all() {
      List<Artifact> out = new ArrayList<>();
      if (base != null) out.add(base.artifact());
      tokens.forEach(t -> out.add(t.artifact()));
      return out;
    }
  }

  /**
   * Refuses to count the same text twice: a token artifact already in the merge base, or two token artifacts (or one
   * and the base) made from the same corpus file (by content hash).
   */
  static void checkNoOverlap(NgramCounts base, List<TokenArtifact> tokens) {
    Map<String, String> fileOwner = new LinkedHashMap<>();
    if (base != null) {
      for (String t : tokens.stream().map(TokenArtifact::id).toList()) {
        if (base.tokenArtifacts().contains(t)) {
          throw new IllegalArgumentException("--merge-into " + base.id() + " already counts " + t + "; merging it again"
              + " would count its n-grams twice — leave it out of --tokens");
        }
      }
      for (String f : base.corpusFiles()) fileOwner.put(f, base.id());
    }
    for (TokenArtifact t : tokens) {
      for (IngestStage.InputFileId f : IngestStage.corpusFiles(t.artifact())) {
        String owner = fileOwner.putIfAbsent(f.sha256(), t.id());
        if (owner != null) {
          throw new IllegalArgumentException(t.id() + " and " + owner + " both hold the corpus file " + f.name()
              + " (sha256 " + abbrev(f.sha256()) + "); counting both would count its n-grams twice — give"
              + " token artifacts of different corpora");
        }
      }
    }
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

  private static void build(PendingArtifact pending, NgramSpec config, StageContext ctx, List<TokenArtifact> ins,
      NgramCounts old) throws IOException {
    long start = System.nanoTime();
    TokenArtifact first = ins.get(0);
    int vocab = first.vocabSize();
    KeyCodec codec = new KeyCodec(config.order(), vocab);
    int bytesPerToken = codec.bytesPerToken();
    List<TokenShardReader> readers = new ArrayList<>();
    List<NgramCounter.Input> inputs = new ArrayList<>();
    MemoryPlan plan = memoryPlan(ctx);
    // Inside the stage's temporary directory: removed with it on failure, and at the next start after a kill.
    Path spillDir = pending.dir().resolve(SPILL_DIR);
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
      Stop stop = new Stop();
      try (NgramCounter counter = new NgramCounter(codec, plan, spillDir, stop);
           NgramStoreReader oldStore = old == null ? null : old.open(true)) {
        List<SortedCounts> extra = oldStore == null ? null : oldStore.partitionStreams(codec, plan.threads());
        List<SortedCounts> counted = counter.countPartitions(inputs, extra);
        countSeconds = (System.nanoTime() - start) / 1e9;
        stats = NgramStoreWriter.writePartitions(counted, codec, pending.dir().resolve(NgramStoreFormat.INDEX_DIR), stop);
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
    LinkedHashSet<String> files = new LinkedHashSet<>();
    if (old != null) files.addAll(old.corpusFiles());
    for (TokenArtifact t : ins) IngestStage.corpusFiles(t.artifact()).forEach(f -> files.add(f.sha256()));
    double seconds = (System.nanoTime() - start) / 1e9;
    double storeSeconds = seconds - countSeconds;
    int threads = plan.threads();
    pending.stats(new CountArtifactStats(config.order(), vocab, first.eotToken(), first.tokenizerName(),
        first.tokenizerSha256(), bytesPerToken, threads, List.copyOf(leaves), List.copyOf(files), tokenCount, stats.ngrams(),
        stats.distinctNgrams(), stats.distinctContexts(), stats.maxCount(), stats.countsOfCounts(), spilled, runs,
        countSeconds, storeSeconds, seconds));
    pending.provenance("memoryBudgetBytes", ctx.resources().memoryBytes());
    pending.provenance("threads", threads);
    pending.provenance("countTableBytesPerThread", plan.tableBytes());
    pending.provenance("mergeFanIn", plan.maxFanIn());
  }

  /**
   * How the count divides the memory budget: refuses a budget below the working minimum (naming it), and keeps the
   * tables inside the JVM's heap when that is smaller than the budget (more spills, same counts; said as a note).
   */
  static MemoryPlan memoryPlan(StageContext ctx) {
    int threads = ctx.resources().threads();
    MemoryPlan plan = MemoryPlan.forBudget(ctx.resources().memoryBytes(), threads);
    long heap = Runtime.getRuntime().maxMemory();
    long usable = (long) (heap * 0.8) - MemoryPlan.minimumBytes(0);
    if (plan.tableBytes() * threads > usable) {
      if (usable < MemoryPlan.minimumBytes(threads)) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the JVM heap (%s) is too small for a"
            + " count with %d threads; raise it (SATURN_JAVA_OPTS=-Xmx...) or lower --threads",
            saturn.stage.ByteSize.format(heap), threads));
      }
      ctx.listener().note(String.format(java.util.Locale.ROOT, "--memory %s is more than the JVM heap (%s) allows;"
          + " counting in %s (raise the heap with SATURN_JAVA_OPTS=-Xmx... to spill less)", ctx.resources().memory(),
          saturn.stage.ByteSize.format(heap), saturn.stage.ByteSize.format(usable)));
      plan = MemoryPlan.forBudget(usable, threads);
    }
    long forced = Long.getLong(TABLE_BYTES_PROPERTY, 0);
    if (forced > 0) plan = MemoryPlan.forTables(forced, threads);
    int fanIn = Integer.getInteger(FAN_IN_PROPERTY, 0);
    return fanIn > 0 ? plan.withMaxFanIn(fanIn) : plan;
  }
}
