package saturn.ingest;

import saturn.stage.StageContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.read.CorpusFile;
import saturn.ingest.read.CorpusInputs;
import saturn.ingest.read.DocumentSink;
import saturn.ingest.read.FileReport;
import saturn.ingest.tokenize.CorpusTokenizer;

/**
 * The ingest benchmark. Each case runs in a fresh child JVM (so its peak RSS is its own): once the whole ingest stage,
 * once the tokenizer alone on the same documents (read into memory a window at a time, untimed, then encoded on the
 * same number of threads, timed). Prints one JSON line per run and the ratio ingest / raw tokenizer.
 */
public final class IngestBench {
  /** Text held in memory per raw-tokenizer window. */
  static final long RAW_WINDOW_CHARS = 32L << 20;

  private IngestBench() {}

  /** A named corpus and how to read it. */
  public record Case(String name, List<String> inputs, String splitTxt, String encoding) {}

  /** Child entry point: {@code ingest|raw WORKSPACE TOKENIZER THREADS SPLIT ENCODING NAME RAW_LIMIT_CHARS INPUT...}. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path ws = Path.of(args[1]);
    String tokenizer = args[2];
    int threads = Integer.parseInt(args[3]);
    String split = args[4];
    String encoding = args[5];
    String name = args[6];
    long rawLimitChars = Long.parseLong(args[7]) <= 0 ? Long.MAX_VALUE : Long.parseLong(args[7]);
    List<String> inputs = List.of(args).subList(8, args.length);
    IngestSpec config = IngestSpec.builder().setInputs(inputs).setTokenizer(tokenizer)
        .optSplitTxt(saturn.ingest.read.ReadOptions.SplitTxt.valueOf(split.toUpperCase())).optEncoding(encoding)
        .optBadRecords(saturn.ingest.read.ReadOptions.BadRecords.SKIP).build();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bench", "ingest");
    out.put("case", mode.equals("ingest") ? "ingest" : "tokenizer-alone");
    out.put("corpus", name);
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    if (mode.equals("ingest")) {
      Artifact a = new IngestStage().run(config, StageContext.of(Workspace.open(ws)).withResources(saturn.stage.Resources.defaults().withThreads(threads)));
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
      var st = a.manifest().stats();
      out.put("bytes", st.get("textBytes").asLong());
      out.put("documents", st.get("documents").asLong());
      out.put("tokens", st.get("tokens").asLong() - st.get("documents").asLong()); // without the end-of-text markers
      out.put("seconds", round(s));
      out.put("tokensPerSecond", Math.round((st.get("tokens").asLong() - st.get("documents").asLong()) / s));
      out.put("cpuSeconds", round(cpu));
      out.put("tokensPerCpuSecond", Math.round((st.get("tokens").asLong() - st.get("documents").asLong()) / cpu));
      out.put("secondsIncludes", "loading the tokenizer, hashing inputs, reading, decompressing, tokenizing, writing, publishing (cpu: all threads)");
    } else {
      long[] r = raw(config, threads, rawLimitChars);
      double s = r[2] / 1e9;
      out.put("bytes", r[0]);
      out.put("tokens", r[1]);
      out.put("seconds", round(s));
      out.put("tokensPerSecond", Math.round(r[1] / s));
      out.put("cpuSeconds", round(r[3] / 1e9));
      out.put("tokensPerCpuSecond", Math.round(r[1] / (r[3] / 1e9)));
      if (rawLimitChars < Long.MAX_VALUE) out.put("textLimitChars", rawLimitChars);
      out.put("secondsIncludes", "tokenizer calls only, text already in memory (cpu: tokenizer threads)");
    }
    out.put("threads", threads);
    out.put("peakRssBytes", peakRssBytes());
    out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    System.out.println(Json.canonical(out));
  }

  static double round(double s) {
    return Math.round(s * 1000) / 1000.0;
  }

  static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** Stops reading once the text limit is reached. */
  private static final class LimitReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitReached() {
      super(null, null, false, false);
    }
  }

  /**
   * Returns {utf8 bytes, tokens, encode wall nanos, encode cpu nanos}: the tokenizer alone, on the pieces the stage
   * would give it, up to {@code limitChars} characters of text.
   */
  static long[] raw(IngestSpec config, int threads, long limitChars) throws Exception {
    CorpusInputs.Expanded inputs = CorpusInputs.expand(config.inputs(), config.format());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long[] totals = new long[4];
    long[] seen = {0};
    try (CorpusTokenizer tok = CorpusTokenizer.resolve(config.tokenizer())) {
      List<String> window = new ArrayList<>();
      long[] chars = {0};
      int chunk = config.chunkChars();
      DocumentSink sink = new DocumentSink() {
        StringBuilder cur = new StringBuilder();

        @Override public void startDocument() { cur.setLength(0); }

        @Override public void text(CharSequence c, int s, int e) {
          cur.append(c, s, e);
          while (cur.length() >= chunk) { // same cut rule as the stage, simplified: the piece sizes are what matter
            window.add(cur.substring(0, chunk));
            cur.delete(0, chunk);
          }
        }

        @Override public void endDocument() throws IOException {
          if (cur.length() > 0) window.add(cur.toString());
          chars[0] += cur.length();
          seen[0] += cur.length();
          if (seen[0] >= limitChars) throw new LimitReached();
          if (chars[0] >= RAW_WINDOW_CHARS) {
            encodeWindow(tok, window, pool, threads, totals);
            chars[0] = 0;
          }
        }
      };
      try {
        for (CorpusFile f : inputs.files()) f.format().reader(config.readOptions()).read(f, sink, new FileReport(f.display()));
      } catch (LimitReached enough) {
        // measured enough text
      }
      encodeWindow(tok, window, pool, threads, totals);
    } finally {
      pool.shutdownNow();
    }
    return totals;
  }

  private static void encodeWindow(CorpusTokenizer tok, List<String> window, ExecutorService pool, int threads,
      long[] totals) throws IOException {
    if (window.isEmpty()) return;
    long t0 = System.nanoTime();
    List<Future<long[]>> parts = new ArrayList<>();
    int n = window.size();
    for (int t = 0; t < threads; t++) {
      int from = t;
      parts.add(pool.submit(() -> {
        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long tokens = 0;
        long bytes = 0;
        for (int i = from; i < n; i += threads) { // interleaved, so long and short pieces spread evenly
          tokens += tok.encode(window.get(i)).length;
          bytes += window.get(i).getBytes(StandardCharsets.UTF_8).length;
        }
        return new long[] {bytes, tokens, java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0};
      }));
    }
    try {
      for (Future<long[]> f : parts) {
        long[] r = f.get();
        totals[0] += r[0];
        totals[1] += r[1];
        totals[3] += r[2];
      }
    } catch (Exception e) {
      throw new IOException(e);
    }
    totals[2] += System.nanoTime() - t0;
    window.clear();
  }

  /** Peak resident set size of this process (Linux VmHWM), or -1 elsewhere. */
  public static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /**
   * Writes about {@code targetBytes} of text made of the given corpora's text, repeated, into {@code dir} as .txt
   * files of 64 MB (paragraphs intact), for a corpus far larger than memory.
   */
  public static List<Path> generate(Path dir, List<Path> sources, long targetBytes) throws IOException {
    Files.createDirectories(dir);
    StringBuilder base = new StringBuilder();
    for (Path p : sources) {
      CorpusFile f = new CorpusFile(p, p.toString(), saturn.ingest.read.InputFormat.ofName(p.getFileName().toString()));
      try (InputStream in = f.open()) {
        base.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append("\n\n");
      }
      if (base.length() > (64 << 20)) break;
    }
    byte[] text = base.toString().getBytes(StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    long written = 0;
    int i = 0;
    while (written < targetBytes) {
      Path f = dir.resolve(String.format("generated-%03d.txt", i));
      try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
        long inFile = 0;
        int round = 0;
        while (inFile < (64L << 20) && written + inFile < targetBytes) {
          // a varying header per copy keeps documents distinct (the tokenizer's word cache still sees real text)
          String header = "Copy " + i + "." + round++ + "\n\n";
          w.write(header);
          w.write(base.toString());
          inFile += header.length() + text.length;
        }
      }
      written += Files.size(f);
      files.add(f);
      i++;
    }
    return files;
  }
}
