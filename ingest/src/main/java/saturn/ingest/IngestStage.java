package saturn.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.PendingArtifact;
import saturn.artifact.Workspace;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;
import saturn.ingest.internal.DocumentSplit;
import saturn.ingest.internal.TokenizePipeline;
import saturn.ingest.read.BadInputException;
import saturn.ingest.read.CorpusFile;
import saturn.ingest.read.CorpusInputs;
import saturn.ingest.read.FileReport;
import saturn.ingest.tokenize.CorpusTokenizer;
import saturn.stage.Progress;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * The ingest stage: corpus files in, a token artifact ({@value TokenArtifact#STAGE}) out. The artifact id hashes the
 * resolved configuration, the content (sha256) of every input file and the tokenizer file, so an unchanged corpus is
 * found in the workspace instead of being tokenized again, and a changed one gets a new artifact. The bytes that are
 * tokenized are hashed again while they are read and must match: a file that changes while it is ingested is refused.
 */
public final class IngestStage implements Stage<IngestSpec> {

  /** One input file as it enters the artifact id: name (relative to what was passed), format, size, content hash. */
  public record InputFileId(String name, String format, long bytes, String sha256) {}

  /** The tokenizer as it enters the artifact id. */
  public record TokenizerId(String name, String sha256) {}

  /** The fully resolved configuration: the artifact id is a hash of it; it is written into the manifest. */
  public record ResolvedConfig(List<InputFileId> files, TokenizerId tokenizer, double valFraction, long seed,
      String textField, String splitTxt, String encoding, boolean strict, String badRecords, boolean skipBadFiles,
      String format, long tokensPerShard, int chunkChars, String pieceCut) {}

  @Override
  public String name() {
    return TokenArtifact.STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace workspace, IngestSpec spec) throws IOException {
    Corpus corpus = Corpus.of(spec);
    try (CorpusTokenizer tokenizer = CorpusTokenizer.resolve(spec.tokenizer())) {
      return identity(spec, corpus, tokenizer);
    }
  }

  @Override
  public Artifact make(IngestSpec spec, ArtifactSpec identity, StageContext context) throws IOException {
    Corpus corpus = Corpus.of(spec);
    try (CorpusTokenizer tokenizer = CorpusTokenizer.resolve(spec.tokenizer())) {
      ArtifactSpec now = identity(spec, corpus, tokenizer);
      if (!now.id().equals(identity.id())) {
        throw new BadInputException("the corpus or tokenizer changed since it was hashed (" + identity.id() + " then, "
            + now.id() + " now); wait until the files are completely written and ingest again");
      }
      StageListener listener = context.listener();
      listener.note("tokenizer " + tokenizer.name() + " (vocabulary " + tokenizer.vocabSize() + ", "
          + (tokenizer.eotToken() >= 0 ? tokenizer.eotContent() + " = " + tokenizer.eotToken() : "no end-of-text token")
          + "), " + corpus.files().size() + " files, " + context.resources().threads() + " threads");
      return context.workspace().obtain(identity, pending -> new Writer(spec, corpus, tokenizer, pending, context).write());
    }
  }

  /** The files to read (with their content hashes) and the files left out before reading. */
  record Corpus(List<CorpusFile> files, List<InputFileId> ids, List<CorpusInputs.Skipped> skipped) {
    static Corpus of(IngestSpec spec) throws IOException {
      CorpusInputs.Expanded inputs = CorpusInputs.expand(spec.inputs(), spec.format());
      List<CorpusFile> files = new ArrayList<>();
      List<InputFileId> ids = new ArrayList<>();
      List<CorpusInputs.Skipped> skipped = new ArrayList<>(inputs.skipped());
      for (int i = 0; i < inputs.files().size(); i++) {
        CorpusFile f = inputs.files().get(i);
        try {
          ids.add(new InputFileId(inputs.names().get(i), f.format().lower(), Files.size(f.path()), Hashing.sha256(f.path())));
          files.add(f);
        } catch (AccessDeniedException e) {
          String msg = f.display() + ": not readable (permission denied); fix its permissions or leave it out";
          if (!spec.skipBadFiles()) throw new BadInputException(msg + " (or pass --skip-bad-files)");
          skipped.add(new CorpusInputs.Skipped(f.display(), "not readable (permission denied)"));
        }
      }
      if (files.isEmpty()) {
        throw new BadInputException("no corpus files in " + String.join(" ", spec.inputs()) + skippedHint(skipped)
            + "; pass .txt, .jsonl, .arrow, .parquet or .lines.txt files (optionally .gz/.zst)");
      }
      return new Corpus(List.copyOf(files), List.copyOf(ids), List.copyOf(skipped));
    }
  }

  private static ArtifactSpec identity(IngestSpec spec, Corpus corpus, CorpusTokenizer tokenizer) {
    ResolvedConfig resolved = new ResolvedConfig(corpus.ids(), new TokenizerId(tokenizer.name(), tokenizer.sha256()),
        spec.valFraction(), spec.seed(), spec.textField(), spec.splitTxt().name().toLowerCase(Locale.ROOT),
        spec.encoding(), spec.strict(), spec.badRecords().name().toLowerCase(Locale.ROOT), spec.skipBadFiles(),
        spec.format() == null ? "by-extension" : spec.format().lower(), spec.tokensPerShard(), spec.chunkChars(),
        "space-between-non-spaces");
    return ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION, resolved,
        List.of());
  }

  private static String skippedHint(List<CorpusInputs.Skipped> skipped) {
    if (skipped.isEmpty()) return "";
    return " (skipped " + skipped.size() + ": " + skipped.get(0).path() + ": " + skipped.get(0).reason()
        + (skipped.size() > 1 ? "; ..." : "") + ")";
  }

  /** The tokens of an artifact as later stages see them. */
  public static TokenArtifact tokens(Artifact a) throws IOException {
    return TokenArtifact.of(a);
  }

  /** One tokenization into a pending artifact: a reader thread feeds the pipeline, this thread writes the shards. */
  private static final class Writer {
    private final IngestSpec spec;
    private final Corpus corpus;
    private final CorpusTokenizer tokenizer;
    private final PendingArtifact pending;
    private final StageListener listener;
    private final int threads;
    private final TokenizePipeline pipeline;
    private final List<FileReport> reports = new ArrayList<>();
    private final long inputBytesTotal;
    private final long startNanos = System.nanoTime();
    private volatile Throwable readFailure;

    Writer(IngestSpec spec, Corpus corpus, CorpusTokenizer tokenizer, PendingArtifact pending, StageContext context)
        throws IOException {
      this.spec = spec;
      this.corpus = corpus;
      this.tokenizer = tokenizer;
      this.pending = pending;
      this.listener = context.listener();
      this.threads = context.resources().threads();
      this.pipeline = new TokenizePipeline(tokenizer, threads, spec.chunkChars(),
          new DocumentSplit(spec.valFraction(), spec.seed()));
      long total = 0;
      for (InputFileId f : corpus.ids()) total += f.bytes();
      this.inputBytesTotal = total;
    }

    void write() throws IOException {
      Path dir = pending.dir();
      Files.copy(tokenizer.file(), dir.resolve(TokenArtifact.TOKENIZER_FILE));
      saturn.ingest.tokenize.Gpt2Builtin.readableByAll(dir.resolve(TokenArtifact.TOKENIZER_FILE));
      long[] splitTokens = tokenize(dir);
      listener.progress(progress());
      IngestStats stats = stats(splitTokens[0], splitTokens[1]);
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      pending.stats(stats);
      pending.seed("split", spec.seed());
      pending.provenance("threads", threads);
      pending.provenance("tokenizeSeconds", seconds);
      pending.provenance("tokensPerSecond", seconds > 0 ? pipeline.tokens() / seconds : 0);
      pending.provenance("inputs", spec.inputs());
      if (stats.valDocuments() == 0 && spec.valFraction() > 0) {
        listener.note("the validation split is empty (" + stats.documents() + " documents × " + spec.valFraction()
            + "); raise --val-fraction or add documents if later stages need one");
      }
      listener.note(stats.summary().stripTrailing());
    }

    /** Reads every file through the pipeline into train and val shards; returns {train tokens, val tokens}. */
    private long[] tokenize(Path dir) throws IOException {
      Thread reader = new Thread(this::readAll, "saturn-read");
      reader.setDaemon(true);
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "saturn-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(() -> listener.progress(progress()), 200, 200, TimeUnit.MILLISECONDS);
      int vocab = tokenizer.vocabSize();
      try (TokenShardWriter train = new TokenShardWriter(dir, TokenShardFormat.TRAIN, vocab, spec.tokensPerShard());
           TokenShardWriter val = new TokenShardWriter(dir, TokenShardFormat.VAL, vocab, spec.tokensPerShard())) {
        reader.start();
        try {
          pipeline.drain(train, val);
          reader.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("ingest interrupted");
        } finally {
          reader.interrupt();
          pipeline.shutdown();
          ticker.shutdownNow();
        }
        rethrowReadFailure();
        return new long[] {train.totalTokens(), val.totalTokens()};
      }
    }

    /** The reader thread: every file into the pipeline, each checked against the hash that entered the id. */
    private void readAll() {
      try {
        for (int i = 0; i < corpus.files().size(); i++) read(corpus.files().get(i), corpus.ids().get(i));
        pipeline.finish();
      } catch (Throwable t) {
        readFailure = t;
        try {
          pipeline.abortReading();
        } catch (IOException ignored) {
          // interrupted: the writer has stopped already
        }
      }
    }

    private void read(CorpusFile f, InputFileId id) throws IOException {
      FileReport r = new FileReport(f.display());
      r.format = f.format().lower();
      r.fileBytes = id.bytes();
      synchronized (reports) {
        reports.add(r);
      }
      try {
        r.compression = f.compression();
        f.format().reader(spec.readOptions()).read(f, pipeline, r);
      } catch (BadInputException e) {
        if (!spec.skipBadFiles()) throw e;
        pipeline.endOpenDocument();
        r.damaged = e.getMessage();
        listener.note("kept " + r.documents + " documents of a damaged file: " + e.getMessage());
      }
      f.checkUnchanged(id.bytes(), id.sha256());
      f.bytesRead().set(r.fileBytes);
      if (r.skipped != null) listener.note("skipped " + f.display() + ": " + r.skipped);
    }

    private void rethrowReadFailure() throws IOException {
      Throwable t = readFailure;
      if (t == null) return;
      if (t instanceof IOException io) throw io;
      if (t instanceof RuntimeException re) throw re;
      if (t instanceof Error e) throw e;
      throw new IOException(t);
    }

    private IngestStats stats(long trainTokens, long valTokens) throws IOException {
      List<CorpusInputs.Skipped> allSkipped = new ArrayList<>(corpus.skipped());
      long replaced = 0;
      long badRecords = 0;
      long empty = pipeline.emptyDocuments();
      for (FileReport r : reports) {
        if (r.skipped != null) allSkipped.add(new CorpusInputs.Skipped(r.path, r.skipped));
        replaced += r.replacedChars;
        badRecords += r.skippedRecords;
        empty += r.emptyDocuments;
      }
      long docs = pipeline.documents();
      if (docs == 0) {
        throw new BadInputException("no documents in " + String.join(" ", spec.inputs()) + skippedHint(allSkipped)
            + "; nothing to tokenize: check the inputs" + (badRecords > 0 ? " and --text-field" : ""));
      }
      long tokens = pipeline.tokens();
      int vocab = tokenizer.vocabSize();
      return new IngestStats(vocab, tokenizer.eotToken(), tokenizer.name(), tokenizer.sha256(),
          TokenShardFormat.needsUint32(vocab) ? "uint32" : "uint16", docs, pipeline.trainDocuments(),
          pipeline.valDocuments(), pipeline.utf8Bytes(), tokens, trainTokens, valTokens, (double) tokens / docs,
          tokens > 0 ? (double) pipeline.utf8Bytes() / tokens : 0, pipeline.unknownTokens(),
          tokenizer.hasUnknownOrByteFallback(), empty, replaced, badRecords, pipeline.unsafeCuts(),
          (int) reports.stream().filter(r -> r.skipped == null).count(), allSkipped.size(), allSkipped, reports);
    }

    private Progress progress() {
      long read = 0;
      for (CorpusFile f : corpus.files()) read += f.bytesRead().get();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      String detail = String.format(Locale.ROOT, "%,d docs, %,d tokens, %.1f MB/s, %,.0f tokens/s", pipeline.documents(),
          pipeline.tokens(), seconds > 0 ? pipeline.utf8Bytes() / 1e6 / seconds : 0,
          seconds > 0 ? pipeline.tokens() / seconds : 0);
      return new Progress("tokenize", Math.min(read, inputBytesTotal), inputBytesTotal, "bytes", seconds, detail);
    }
  }

  /**
   * The corpus files a token artifact was made from, as they entered its id (empty for token artifacts that were not
   * ingested from files, such as a benchmark's generated streams).
   */
  public static List<InputFileId> corpusFiles(Artifact tokens) {
    List<InputFileId> out = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode f : tokens.manifest().config().path("files")) {
      out.add(Json.MAPPER.convertValue(f, InputFileId.class));
    }
    return out;
  }
}
