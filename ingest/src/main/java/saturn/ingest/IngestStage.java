package saturn.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Hashing;
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
import saturn.ingest.read.InputFormat;
import saturn.ingest.read.ReadOptions;
import saturn.ingest.tokenize.CorpusTokenizer;

/**
 * The ingest stage: corpus files in, a token artifact ({@value TokenArtifact#STAGE}) out. The artifact id hashes the
 * resolved configuration, the content (sha256) of every input file and the tokenizer file, so an unchanged corpus is
 * found in the workspace instead of being tokenized again, and a changed one gets a new artifact.
 */
public final class IngestStage {
  private IngestStage() {}

  /** One input file as it enters the artifact id: name (relative to what was passed), format, size, content hash. */
  public record InputFileId(String name, String format, long bytes, String sha256) {}

  /** The tokenizer as it enters the artifact id. */
  public record TokenizerId(String name, String sha256) {}

  /** The fully resolved configuration: the artifact id is a hash of it; it is written into the manifest. */
  public record ResolvedConfig(List<InputFileId> files, TokenizerId tokenizer, double valFraction, long seed,
      String textField, String splitTxt, String encoding, boolean strict, String badRecords, boolean skipBadFiles,
      String format, long tokensPerShard, int chunkChars, String pieceCut) {}

  public static Artifact run(Workspace workspace, IngestConfig config) throws IOException {
    return run(workspace, config, IngestListener.SILENT);
  }

  public static Artifact run(Workspace workspace, IngestConfig config, IngestListener listener) throws IOException {
    CorpusInputs.Expanded inputs = CorpusInputs.expand(config.inputs(), config.format());
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
        if (!config.skipBadFiles()) throw new BadInputException(msg + " (or pass --skip-bad-files)");
        skipped.add(new CorpusInputs.Skipped(f.display(), "not readable (permission denied)"));
      }
    }
    if (files.isEmpty()) {
      throw new BadInputException("no corpus files in " + String.join(" ", config.inputs()) + skippedHint(skipped)
          + "; pass .txt, .jsonl, .arrow, .parquet or .lines.txt files (optionally .gz/.zst)");
    }
    try (CorpusTokenizer tokenizer = CorpusTokenizer.resolve(config.tokenizer())) {
      ResolvedConfig resolved = new ResolvedConfig(ids, new TokenizerId(tokenizer.name(), tokenizer.sha256()),
          config.valFraction(), config.seed(), config.textField(), config.splitTxt().name().toLowerCase(),
          config.encoding(), config.strict(), config.badRecords().name().toLowerCase(), config.skipBadFiles(),
          config.format() == null ? "by-extension" : config.format().lower(), config.tokensPerShard(),
          config.chunkChars(), "space-between-non-spaces");
      ArtifactSpec spec = ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME,
          TokenShardFormat.FORMAT_VERSION, resolved, List.of());
      Optional<Artifact> existing = workspace.find(spec);
      if (existing.isPresent()) {
        listener.note("found " + existing.get().id() + " (same corpus, tokenizer and options); nothing to do");
        return existing.get();
      }
      listener.note("tokenizer " + tokenizer.name() + " (vocabulary " + tokenizer.vocabSize() + ", "
          + (tokenizer.eotToken() >= 0 ? tokenizer.eotContent() + " = " + tokenizer.eotToken() : "no end-of-text token")
          + "), " + files.size() + " files, " + config.effectiveThreads() + " threads");
      return workspace.obtain(spec, pending -> write(pending, config, files, skipped, tokenizer, listener));
    }
  }

  private static String skippedHint(List<CorpusInputs.Skipped> skipped) {
    if (skipped.isEmpty()) return "";
    return " (skipped " + skipped.size() + ": " + skipped.get(0).path() + ": " + skipped.get(0).reason() + (skipped.size() > 1 ? "; ..." : "") + ")";
  }

  private static void write(PendingArtifact pending, IngestConfig config, List<CorpusFile> files,
      List<CorpusInputs.Skipped> skipped, CorpusTokenizer tokenizer, IngestListener listener) throws IOException {
    Path dir = pending.dir();
    Files.copy(tokenizer.file(), dir.resolve(TokenArtifact.TOKENIZER_FILE));
    saturn.ingest.tokenize.Gpt2Builtin.readableByAll(dir.resolve(TokenArtifact.TOKENIZER_FILE));
    int threads = config.effectiveThreads();
    TokenizePipeline pipeline = new TokenizePipeline(tokenizer, threads, config.chunkChars(),
        new DocumentSplit(config.valFraction(), config.seed()));
    ReadOptions options = config.readOptions();
    List<FileReport> reports = new ArrayList<>();
    long totalBytes = 0;
    for (CorpusFile f : files) totalBytes += Files.size(f.path());
    long startNanos = System.nanoTime();
    final long inputBytesTotal = totalBytes;

    Throwable[] readFailure = {null};
    Thread reader = new Thread(() -> {
      try {
        for (CorpusFile f : files) {
          FileReport r = new FileReport(f.display());
          r.format = f.format().lower();
          r.fileBytes = Files.size(f.path());
          synchronized (reports) {
            reports.add(r);
          }
          try {
            r.compression = f.compression();
            f.format().reader(options).read(f, pipeline, r);
          } catch (BadInputException e) {
            if (!config.skipBadFiles()) throw e;
            pipeline.endOpenDocument();
            r.damaged = e.getMessage();
            listener.note("kept " + r.documents + " documents of a damaged file: " + e.getMessage());
          }
          f.bytesRead().set(r.fileBytes);
          if (r.skipped != null) listener.note("skipped " + f.display() + ": " + r.skipped);
        }
        pipeline.finish();
      } catch (Throwable t) {
        readFailure[0] = t;
        try {
          pipeline.abortReading();
        } catch (IOException ignored) {
          // interrupted: the writer has stopped already
        }
      }
    }, "saturn-read");
    reader.setDaemon(true);

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "saturn-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> listener.progress(progress(pipeline, files, inputBytesTotal, startNanos, false)),
        200, 200, TimeUnit.MILLISECONDS);

    int vocab = tokenizer.vocabSize();
    long trainTokens;
    long valTokens;
    try (TokenShardWriter train = new TokenShardWriter(dir, TokenShardFormat.TRAIN, vocab, config.tokensPerShard());
         TokenShardWriter val = new TokenShardWriter(dir, TokenShardFormat.VAL, vocab, config.tokensPerShard())) {
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
      if (readFailure[0] != null) {
        Throwable t = readFailure[0];
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        throw new IOException(t);
      }
      trainTokens = train.totalTokens();
      valTokens = val.totalTokens();
    }
    listener.progress(progress(pipeline, files, inputBytesTotal, startNanos, true));

    List<CorpusInputs.Skipped> allSkipped = new ArrayList<>(skipped);
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
      throw new BadInputException("no documents in " + String.join(" ", config.inputs()) + skippedHint(allSkipped)
          + "; nothing to tokenize: check the inputs" + (badRecords > 0 ? " and --text-field" : ""));
    }
    long tokens = pipeline.tokens();
    IngestStats stats = new IngestStats(vocab, tokenizer.eotToken(), tokenizer.name(), tokenizer.sha256(),
        TokenShardFormat.needsUint32(vocab) ? "uint32" : "uint16", docs, pipeline.trainDocuments(),
        pipeline.valDocuments(), pipeline.utf8Bytes(), tokens, trainTokens, valTokens, (double) tokens / docs,
        tokens > 0 ? (double) pipeline.utf8Bytes() / tokens : 0, pipeline.unknownTokens(),
        tokenizer.hasUnknownOrByteFallback(), empty, replaced, badRecords, pipeline.unsafeCuts(),
        (int) reports.stream().filter(r -> r.skipped == null).count(), allSkipped.size(), allSkipped, reports);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    pending.stats(stats);
    pending.seed("split", config.seed());
    pending.provenance("threads", threads);
    pending.provenance("tokenizeSeconds", seconds);
    pending.provenance("tokensPerSecond", seconds > 0 ? tokens / seconds : 0);
    pending.provenance("inputs", config.inputs());
    if (stats.valDocuments() == 0 && config.valFraction() > 0) {
      listener.note("the validation split is empty (" + docs + " documents × " + config.valFraction()
          + "); raise --val-fraction or add documents if later stages need one");
    }
    listener.note(stats.summary().stripTrailing());
  }

  private static IngestListener.Progress progress(TokenizePipeline p, List<CorpusFile> files, long total,
      long startNanos, boolean finished) {
    long read = 0;
    for (CorpusFile f : files) read += f.bytesRead().get();
    return new IngestListener.Progress(p.documents(), p.tokens(), p.utf8Bytes(), Math.min(read, total), total,
        (System.nanoTime() - startNanos) / 1e9, finished);
  }

  /** The tokens of an artifact as later stages see them. */
  public static TokenArtifact tokens(Artifact a) throws IOException {
    return TokenArtifact.of(a);
  }

}
