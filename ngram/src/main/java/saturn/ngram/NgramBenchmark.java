package saturn.ngram;

import saturn.stage.Resources;
import saturn.stage.StageContext;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.ingest.format.TokenShardWriter;
import saturn.ngram.format.NgramStoreReader;

/**
 * {@code saturn bench ngram}: counts real and generated token streams and prints one JSON line per case.
 * <ul>
 *   <li>In process (default): tokens/s, distinct n-grams, peak RSS, bytes spilled, CPU use, query latency, and the
 *       classic Unix pipeline (each n-gram as a text line, {@code LC_ALL=C sort -S 1G --parallel=2 | uniq -c}) on the
 *       same stream.
 *   <li>Paired with KenLM ({@code pairedRuns > 0}): whole processes as a user runs them, alternating — {@code saturn
 *       ngram --counts-only}, {@code saturn ngram} (counts and W), and KenLM's {@code count_ngrams} on the same token
 *       ids written once as text (one document per line) — with the medians of wall time, CPU seconds and peak
 *       resident memory of each. Without a {@code count_ngrams} binary the saturn runs are still timed and the line
 *       says that no KenLM was given.
 * </ul>
 */
public final class NgramBenchmark {
  /**
   * What to run.
   *
   * @param generatedTokens sizes of the generated text-like streams (one case each)
   * @param kenlm KenLM's count_ngrams binary, or null
   * @param pairedRuns whole-process runs of each program per case (0: the in-process benchmark instead)
   * @param europarl also the built-in Europarl sample
   */
  public record Options(Path workspace, Path shared, int order, long memoryBytes, List<Long> generatedTokens,
      boolean withBillion, long billionMemoryBytes, long pipelineMaxTokens, int queries, int threads, long seed,
      Path kenlm, int pairedRuns, boolean europarl) {}

  private final Options o;
  private final Consumer<String> out;
  private final Consumer<String> log;

  public NgramBenchmark(Options options, Consumer<String> out, Consumer<String> log) {
    this.o = options;
    this.out = out;
    this.log = log;
  }

  public void run() throws Exception {
    Workspace ws = Workspace.open(o.workspace());
    Path tokenizer = o.shared().resolve("tokenizers/gpt2/tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new IllegalArgumentException(tokenizer + " not found; pass --shared DIR with corpora/ and tokenizers/gpt2/");
    }
    if (o.pairedRuns() > 0 && o.kenlm() == null) {
      log.accept("no KenLM given (--kenlm PATH to count_ngrams; ngram/bench/build-kenlm.sh builds one): timing saturn alone");
    }
    log.accept("ingesting the shared corpora with gpt2 (saturn ingest) ...");
    Artifact corpus = tokenizeCorpora(ws, o.shared().resolve("corpora"), tokenizer);
    runCase(ws, "shared-corpora-gpt2", corpus, o.memoryBytes());
    if (o.europarl()) {
      log.accept("ingesting the built-in Europarl sample with gpt2 ...");
      Artifact europarl = new saturn.ingest.IngestStage().run(saturn.ingest.IngestSpec.builder()
          .setInputs(saturn.ingest.DefaultCorpus.path().toString()).setTokenizer(tokenizer.toString()).optValFraction(0)
          .build(), StageContext.of(ws));
      runCase(ws, "europarl-gpt2", europarl, o.memoryBytes());
    }
    for (long n : o.generatedTokens()) {
      log.accept("generating " + n + " text-like tokens from the corpora ...");
      runCase(ws, "text-like-" + human(n), generate(ws, corpus, n, o.seed()), o.memoryBytes());
    }
    if (o.withBillion()) {
      log.accept("generating 1B tokens ...");
      Artifact big = generate(ws, corpus, 1_000_000_000L, o.seed() + 1);
      runCase(ws, "text-like-1B", big, o.billionMemoryBytes());
    }
  }

  private static String human(long n) {
    if (n % 1_000_000_000L == 0) return n / 1_000_000_000L + "B";
    if (n % 1_000_000 == 0) return n / 1_000_000 + "M";
    return Long.toString(n);
  }

  private void runCase(Workspace ws, String name, Artifact tokens, long memory) throws Exception {
    if (o.pairedRuns() > 0) {
      new PairedRuns(ws, o, log).run(name, tokens, memory, out);
      return;
    }
    long nTokens;
    try (TokenShardReader r = TokenArtifact.of(tokens).open(TokenShardFormat.TRAIN)) {
      nTokens = r.size();
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "ngram");
    line.put("case", name);
    line.put("tokens", nTokens);
    line.put("order", o.order());
    line.put("memoryBudgetBytes", memory);
    line.put("threads", o.threads());
    line.put("loadAverageBefore", loadAverage());
    // A fresh count every time: remove an earlier artifact of the same spec.
    NgramSpec cfg = NgramSpec.builder().setTokens(tokens.id()).optOrder(o.order()).build();
    StageContext ctx = StageContext.of(ws).withResources(new Resources(o.threads(), memory));
    deleteExisting(ws, cfg);
    System.gc();
    resetPeakRss();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Artifact counts = new NgramStage().run(cfg, ctx);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long cpu = os.getProcessCpuTime() - cpu0;
    long peak = peakRss();
    JsonNode s = counts.manifest().stats();
    line.put("seconds", round(seconds));
    line.put("tokensPerSecond", Math.round(nTokens / seconds));
    line.put("cpuSeconds", round(cpu / 1e9));
    line.put("cpuCoresBusy", round(cpu / 1e9 / seconds));
    line.put("distinctNgrams", s.get("distinctNgrams").asLong());
    line.put("distinctContexts", s.get("distinctContexts").asLong());
    line.put("bytesSpilled", s.get("bytesSpilled").asLong());
    line.put("countSeconds", s.get("countSeconds").asDouble());
    line.put("storeSeconds", s.get("storeSeconds").asDouble());
    line.put("spilledRuns", s.get("spilledRuns").asInt());
    line.put("peakRssBytes", peak);
    line.put("storeBytes", counts.manifest().files().stream().mapToLong(f -> f.size()).sum());

    long m0 = System.nanoTime();
    Artifact w = new ContextMatrixStage().run(ContextMatrixSpec.builder().setCounts(counts.id()).build(), ctx);
    line.put("matrixSeconds", round((System.nanoTime() - m0) / 1e9));
    line.put("matrixRows", w.manifest().stats().get("rows").asLong());
    line.put("matrixNnz", w.manifest().stats().get("nnz").asLong());

    queryLatency(counts, tokens, line);

    if (nTokens <= o.pipelineMaxTokens()) {
      log.accept(name + ": ours " + round(seconds) + " s; timing the Unix pipeline ...");
      long pc0 = os.getProcessCpuTime();
      double child0 = childCpuSeconds();
      long[] pipe = unixPipeline(ws, tokens, o.order());
      double pipeCpu = (os.getProcessCpuTime() - pc0) / 1e9 + childCpuSeconds() - child0;
      double ps = pipe[0] / 1e9;
      line.put("pipelineSeconds", round(ps));
      line.put("pipelineCpuSeconds", round(pipeCpu));
      line.put("cpuRatioVsPipeline", round(pipeCpu / (cpu / 1e9)));
      line.put("pipelineDistinctNgrams", pipe[1]);
      line.put("pipelineAgrees", pipe[1] == s.get("distinctNgrams").asLong());
      line.put("speedupVsPipeline", round(ps / seconds));
    } else {
      line.put("pipelineSeconds", null);
      line.put("pipelineSkipped", "more tokens than --pipeline-max-tokens " + o.pipelineMaxTokens());
    }
    line.put("loadAverageAfter", loadAverage());
    out.accept(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(line));
  }

  private static void deleteExisting(Workspace ws, NgramSpec cfg) throws IOException {
    ArtifactSpec spec = new NgramStage().identify(ws, cfg);
    deleteTree(ws.dirOf(spec.id()));
    for (Artifact a : ws.list(NgramStage.MATRIX_STAGE)) {
      if (a.manifest().inputs().contains(spec.id())) deleteTree(a.dir());
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(x);
    }
  }

  private void queryLatency(Artifact counts, Artifact tokens, Map<String, Object> line) throws IOException {
    NgramCounts c = NgramCounts.of(counts);
    long t0 = System.nanoTime();
    try (NgramStoreReader store = c.open(true);
         TokenShardReader r = TokenArtifact.of(tokens).open(TokenShardFormat.TRAIN)) {
      line.put("queryOpenMillis", round((System.nanoTime() - t0) / 1e6));
      SplittableRandom rnd = new SplittableRandom(o.seed());
      int k = c.order() - 1;
      int n = o.queries();
      long[] nanos = new long[n];
      int[] ctx = new int[k];
      long found = 0;
      for (int q = -200; q < n; q++) { // the first 200 warm up the JIT and the page cache
        long p = rnd.nextLong(Math.max(1, r.size() - k));
        r.read(p, ctx, 0, k);
        long s = System.nanoTime();
        List<NgramStoreReader.Continuation> cs = store.continuations(ctx);
        List<NgramStoreReader.Continuation> top = NgramQuery.topK(cs, 10);
        long e = System.nanoTime() - s;
        if (q >= 0) {
          nanos[q] = e;
          found += top.size();
        }
      }
      Arrays.sort(nanos);
      double mean = Arrays.stream(nanos).average().orElse(0);
      line.put("queries", n);
      line.put("queryMeanMicros", round(mean / 1e3));
      line.put("queryP50Micros", round(nanos[n / 2] / 1e3));
      line.put("queryP99Micros", round(nanos[(int) (n * 0.99)] / 1e3));
      line.put("queryMaxMicros", round(nanos[n - 1] / 1e3));
      line.put("queryMeanContinuationsReturned", round((double) found / n));
    }
  }

  /**
   * Times {@code emit | LC_ALL=C sort -S 1G --parallel=2 -T scratch | uniq -c | wc -l}: each n-gram of the stream as
   * a line of decimal token ids (same document rules as the count). Returns {nanos, distinct n-grams}.
   */
  static long[] unixPipeline(Workspace ws, Artifact tokens, int order) throws Exception {
    Path scratch = Files.createDirectories(ws.scratch().resolve("pipeline-" + System.nanoTime()));
    TokenArtifact ta = TokenArtifact.of(tokens);
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "LC_ALL=C sort -S 1G --parallel=2 -T '" + scratch + "' | uniq -c | wc -l");
    pb.environment().put("LC_ALL", "C");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try (TokenShardReader r = ta.open(TokenShardFormat.TRAIN);
         OutputStream os = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
      byte[] line = new byte[order * 11 + 1];
      int eot = ta.eotToken();
      int[] buf = new int[1 << 16];
      for (int d = 0; d < r.documents(); d++) {
        long ds = r.documentStart(d);
        long de = r.documentEnd(d);
        if (de > ds && eot >= 0 && r.token(ds) == eot) ds++;
        for (long pos = ds; pos + order <= de; ) {
          int windows = (int) Math.min(buf.length - order + 1, de - order - pos + 1);
          r.read(pos, buf, 0, windows + order - 1);
          for (int i = 0; i < windows; i++) {
            int at = 0;
            for (int j = 0; j < order; j++) {
              if (j > 0) line[at++] = ' ';
              at = writeInt(buf[i + j], line, at);
            }
            line[at++] = '\n';
            os.write(line, 0, at);
          }
          pos += windows;
        }
      }
    }
    String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    int rc = p.waitFor();
    long nanos = System.nanoTime() - t0;
    deleteTree(scratch);
    if (rc != 0) throw new IOException("the sort | uniq pipeline failed with exit code " + rc);
    return new long[] {nanos, Long.parseLong(result)};
  }

  private static int writeInt(int v, byte[] b, int at) {
    long x = v & 0xFFFFFFFFL;
    if (x == 0) {
      b[at] = '0';
      return at + 1;
    }
    int start = at;
    while (x > 0) {
      b[at++] = (byte) ('0' + x % 10);
      x /= 10;
    }
    for (int i = start, j = at - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return at;
  }

  /** The shared corpora through the real ingest stage (gpt2), all documents in the train split. */
  static Artifact tokenizeCorpora(Workspace ws, Path corporaDir, Path tokenizerJson) throws IOException {
    return new saturn.ingest.IngestStage().run(saturn.ingest.IngestSpec.builder()
        .setInputs(corporaDir.toString()).setTokenizer(tokenizerJson.toString()).optValFraction(0).build(), StageContext.of(ws));
  }

  /**
   * Distinct 5-grams of real text grow as D(N) = a * N^beta (fits on prefixes of the Europarl sample and the shared
   * corpora, gpt2 tokens: beta 0.907 and 0.947; D/N = 0.63 at 7.6M Europarl tokens, 0.83 at 4.4M of the books).
   * The generated stream follows D(N) = {@value #GROWTH_A} * N^{@value #GROWTH_BETA}: 0.59 distinct at 30M tokens,
   * 0.49 at 300M, 0.44 at 1B (see ngram/README.md, "Benchmark").
   */
  static final double GROWTH_BETA = 0.92;
  static final double GROWTH_A = 2.31;
  /** Copied phrases still add new n-grams where they join their neighbours: fitted so the stream meets the target. */
  static final double NOVELTY_SCALE = 0.92;

  /**
   * A stream with text-like 5-gram statistics: phrases (8..40 tokens) either sampled from the bigram model of
   * {@code corpus} (P(next | previous) from its counts: new n-grams) or copied from a random earlier position of
   * the stream (a ring of its last 64M tokens: n-grams seen before, as often as they were seen), in documents of
   * 200..8,000 tokens each starting with the end-of-text token. The chance of a new phrase at position N is the
   * novelty rate D'(N) of the target growth D(N) = GROWTH_A * N^GROWTH_BETA, so distinct n-grams grow like real
   * text's instead of almost linearly (a bigram sample alone: 0.88 distinct at 100M tokens).
   */
  static Artifact generate(Workspace ws, Artifact corpus, long tokens, long seed) throws IOException {
    TokenArtifact ta = TokenArtifact.of(corpus);
    ArtifactSpec spec = ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION,
        Map.of("bench", "ngram-text-like", "from", corpus.id(), "tokens", tokens, "seed", seed, "beta", GROWTH_BETA,
            "a", GROWTH_A, "novelty", NOVELTY_SCALE), List.of(corpus));
    return ws.obtain(spec, p -> {
      int vocab = ta.vocabSize();
      int eot = ta.eotToken();
      Bigrams model = Bigrams.of(ta, eot, vocab);
      SplittableRandom rnd = new SplittableRandom(seed);
      int ringBits = 26;
      char[] ring = new char[1 << ringBits]; // token ids of the last 64M tokens (vocabularies up to 65,536)
      int[] ringWide = vocab > 65_536 ? new int[1 << ringBits] : null;
      int ringMask = (1 << ringBits) - 1;
      long produced = 0; // tokens of text generated so far (the ring's clock)
      try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.TRAIN, vocab, TokenShardFormat.DEFAULT_TOKENS_PER_SHARD)) {
        int[] doc = new int[8000];
        long written = 0;
        while (written < tokens) {
          int len = (int) Math.min(tokens - written - (eot >= 0 ? 1 : 0), 200 + rnd.nextInt(7800));
          if (len < 1) len = 1;
          int i = 0;
          int t = model.start(rnd);
          while (i < len) {
            int phrase = Math.min(len - i, 8 + rnd.nextInt(33));
            // the rate of new n-grams the target growth asks for, less the new n-grams that phrase junctions add
            double novelty = Math.min(1, NOVELTY_SCALE * GROWTH_A * GROWTH_BETA * Math.pow(Math.max(1, produced), GROWTH_BETA - 1));
            if (produced > 64 && rnd.nextDouble() >= novelty) { // copy a phrase seen before
              long avail = Math.min(produced, ring.length) - phrase;
              if (avail > 0) {
                long from = produced - 1 - phrase - rnd.nextLong(avail);
                for (int k = 0; k < phrase; k++) {
                  int at = (int) ((from + k) & ringMask);
                  doc[i + k] = ringWide != null ? ringWide[at] : ring[at];
                }
                t = doc[i + phrase - 1];
                i += phrase;
                produced = remember(doc, i - phrase, phrase, ring, ringWide, ringMask, produced);
                continue;
              }
            }
            for (int k = 0; k < phrase; k++) {
              doc[i + k] = t;
              t = model.next(t, rnd);
            }
            i += phrase;
            produced = remember(doc, i - phrase, phrase, ring, ringWide, ringMask, produced);
          }
          w.beginDocument();
          if (eot >= 0) w.write(eot);
          w.write(doc, 0, len);
          written += len + (eot >= 0 ? 1 : 0);
        }
      }
      try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.VAL, vocab, 1 << 20)) {
        // none
      }
      Path tok = corpus.dir().resolve(TokenArtifact.TOKENIZER_FILE);
      if (Files.isRegularFile(tok)) Files.copy(tok, p.dir().resolve(TokenArtifact.TOKENIZER_FILE));
      p.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, vocab, TokenArtifact.KEY_EOT_TOKEN, eot,
          TokenArtifact.KEY_TOKENIZER_NAME, ta.tokenizerName(), TokenArtifact.KEY_TOKENIZER_SHA256, ta.tokenizerSha256()));
    });
  }

  private static long remember(int[] doc, int from, int n, char[] ring, int[] ringWide, int mask, long produced) {
    for (int k = 0; k < n; k++) {
      int at = (int) ((produced + k) & mask);
      if (ringWide != null) ringWide[at] = doc[from + k];
      else ring[at] = (char) doc[from + k];
    }
    return produced + n;
  }

  /** The bigram model of a token artifact in CSR form: for each previous token, next tokens with cumulative counts. */
  private record Bigrams(int[] rowStart, int[] next, int[] cum, int distinct) {
    static Bigrams of(TokenArtifact ta, int eot, int vocab) throws IOException {
      long[] pairs;
      try (TokenShardReader r = ta.open(TokenShardFormat.TRAIN)) {
        long n = r.size();
        pairs = new long[(int) Math.max(0, n - 1)];
        int m = 0;
        int[] buf = new int[(int) n];
        r.read(0, buf, 0, (int) n);
        for (int i = 0; i + 1 < n; i++) {
          if (buf[i + 1] == eot || buf[i] == eot) continue;
          pairs[m++] = ((long) buf[i] << 32) | buf[i + 1];
        }
        pairs = Arrays.copyOf(pairs, m);
      }
      Arrays.sort(pairs);
      int[] rowStart = new int[vocab + 1];
      int[] next = new int[pairs.length];
      int[] cum = new int[pairs.length];
      int distinct = 0;
      for (int i = 0; i < pairs.length; ) {
        int j = i;
        while (j < pairs.length && pairs[j] == pairs[i]) j++;
        int prev = (int) (pairs[i] >>> 32);
        rowStart[prev + 1]++;
        next[distinct] = (int) pairs[i];
        cum[distinct] = (distinct > 0 && (int) (pairs[i - 1] >>> 32) == prev ? cum[distinct - 1] : 0) + (j - i);
        distinct++;
        i = j;
      }
      for (int v = 0; v < vocab; v++) rowStart[v + 1] += rowStart[v];
      return new Bigrams(rowStart, next, cum, distinct);
    }

    int start(SplittableRandom rnd) {
      return next[rnd.nextInt(distinct)];
    }

    int next(int t, SplittableRandom rnd) {
      int a = rowStart[t];
      int b = rowStart[t + 1];
      if (a == b) return start(rnd);
      int x = rnd.nextInt(cum[b - 1]);
      int lo = a;
      int hi = b - 1;
      while (lo < hi) { // first cumulative count > x
        int mid = (lo + hi) >>> 1;
        if (cum[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      return next[lo];
    }
  }

  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException ignored) {
      // not Linux, or not permitted: the peak then covers the whole process
    }
  }

  /** VmHWM of this process in bytes, or -1 where /proc is absent. */
  static long peakRss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException ignored) {
      // fall through
    }
    return -1;
  }

  /** The 1-minute load average (other work on the machine skews wall-clock figures; CPU seconds are not skewed). */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU seconds of this process's waited-for children (cutime + cstime of /proc/self/stat). */
  static double childCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
