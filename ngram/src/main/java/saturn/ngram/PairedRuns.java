package saturn.ngram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;

/**
 * The paired comparison of {@code saturn bench ngram}: whole processes, as a user runs them, in alternating order —
 * {@code saturn ngram --counts-only}, {@code saturn ngram} (counts and W) and KenLM's {@code count_ngrams} — and the
 * medians of their wall time, CPU seconds (of the process and its children, from this process's cutime/cstime) and
 * peak resident memory (VmHWM of the child, polled every 10 ms). KenLM reads the same token ids, written once as
 * text: one document per line, its end-of-text marker left out (KenLM adds its own sentence boundaries).
 */
final class PairedRuns {
  private final Workspace ws;
  private final NgramBenchmark.Options o;
  private final Consumer<String> log;

  PairedRuns(Workspace ws, NgramBenchmark.Options o, Consumer<String> log) {
    this.ws = ws;
    this.o = o;
    this.log = log;
  }

  /** One measured process. */
  record Measure(double seconds, double cpuSeconds, long peakRssBytes, double loadBefore) {}

  void run(String name, Artifact tokens, long memory, Consumer<String> out) throws Exception {
    TokenArtifact ta = TokenArtifact.of(tokens);
    long nTokens;
    try (TokenShardReader r = ta.open(TokenShardFormat.TRAIN)) {
      nTokens = r.size();
    }
    Path scratch = Files.createDirectories(ws.scratch().resolve("bench-ngram-kenlm"));
    Path text = null;
    if (o.kenlm() != null) {
      text = scratch.resolve(tokens.id() + ".txt");
      log.accept(name + ": writing the token ids as KenLM's text input " + text + " ...");
      writeText(ta, text);
    }
    List<Measure> count = new ArrayList<>();
    List<Measure> withW = new ArrayList<>();
    List<Measure> kenlm = new ArrayList<>();
    NgramSpec cfg = NgramSpec.builder().setTokens(tokens.id()).optOrder(o.order()).build();
    for (int r = 0; r < o.pairedRuns(); r++) {
      // alternate the order so that neither program always runs on a warmer (or more loaded) machine
      String[] order = r % 2 == 0 ? new String[] {"count", "kenlm", "w"} : new String[] {"w", "kenlm", "count"};
      for (String what : order) {
        switch (what) {
          case "count" -> count.add(saturn(tokens, cfg, memory, true, scratch));
          case "w" -> withW.add(saturn(tokens, cfg, memory, false, scratch));
          default -> {
            if (text != null) kenlm.add(kenlm(text, memory, scratch));
          }
        }
      }
      log.accept(name + ": round " + (r + 1) + " of " + o.pairedRuns() + " done");
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "ngram-paired");
    line.put("case", name);
    line.put("tokens", nTokens);
    line.put("order", o.order());
    line.put("memoryBudgetBytes", memory);
    line.put("threads", o.threads());
    line.put("runs", o.pairedRuns());
    Artifact counts = ws.find(countsSpec(cfg)).orElse(null);
    if (counts != null) line.put("distinctNgrams", counts.manifest().stats().get("distinctNgrams").asLong());
    put(line, "saturnCount", count);
    put(line, "saturnWithW", withW);
    if (o.kenlm() == null) {
      line.put("kenlm", null);
      line.put("kenlmNote", "no KenLM given: pass --kenlm PATH to its count_ngrams (ngram/bench/build-kenlm.sh builds one)");
    } else {
      line.put("kenlm", o.kenlm().toString());
      put(line, "kenlm", kenlm);
      long entries = Files.size(scratch.resolve("counts.bin")) / (4L * o.order() + 8); // WordIndex ids + uint64 count
      line.put("kenlmDistinctNgrams", entries);
      line.put("kenlmNote", "KenLM counts n-grams with its sentence markers <s> and </s> too, so it has a few more");
      line.put("kenlmOverSaturnCountWall", round(median(kenlm, Measure::seconds) / median(count, Measure::seconds)));
      line.put("kenlmOverSaturnWithWWall", round(median(kenlm, Measure::seconds) / median(withW, Measure::seconds)));
      line.put("peakRssSaturnCountOverKenlm", round((double) medianLong(count) / medianLong(kenlm)));
      Files.deleteIfExists(text);
    }
    Files.deleteIfExists(scratch.resolve("counts.bin"));
    out.accept(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(line));
  }

  private static void put(Map<String, Object> line, String prefix, List<Measure> ms) {
    if (ms.isEmpty()) return;
    line.put(prefix + "SecondsMedian", round(median(ms, Measure::seconds)));
    line.put(prefix + "CpuSecondsMedian", round(median(ms, Measure::cpuSeconds)));
    line.put(prefix + "PeakRssBytesMedian", medianLong(ms));
    line.put(prefix + "Seconds", ms.stream().map(m -> round(m.seconds())).toList());
    line.put(prefix + "CpuSeconds", ms.stream().map(m -> round(m.cpuSeconds())).toList());
    line.put(prefix + "PeakRssBytes", ms.stream().map(Measure::peakRssBytes).toList());
    line.put(prefix + "LoadBefore", ms.stream().map(Measure::loadBefore).toList());
  }

  private static double median(List<Measure> ms, java.util.function.ToDoubleFunction<Measure> f) {
    double[] v = ms.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static long medianLong(List<Measure> ms) {
    long[] v = ms.stream().mapToLong(Measure::peakRssBytes).sorted().toArray();
    return v.length == 0 ? -1 : v[(v.length - 1) / 2];
  }

  private ArtifactSpec countsSpec(NgramSpec cfg) throws IOException {
    return new NgramStage().identify(ws, cfg);
  }

  /** One {@code saturn ngram} process (a fresh count: the artifacts of an earlier run are removed first). */
  private Measure saturn(Artifact tokens, NgramSpec cfg, long memory, boolean countsOnly, Path scratch) throws Exception {
    String countsId = countsSpec(cfg).id();
    deleteTree(ws.dirOf(countsId));
    for (Artifact a : ws.list(NgramStage.MATRIX_STAGE)) {
      if (a.manifest().inputs().contains(countsId)) deleteTree(a.dir());
    }
    List<String> cmd = new ArrayList<>(saturnCommand());
    cmd.addAll(List.of("ngram", "--workspace", ws.root().toString(), "--tokens", tokens.id(), "--order",
        Integer.toString(cfg.order()), "--memory", Long.toString(memory), "--threads", Integer.toString(o.threads())));
    if (countsOnly) cmd.add("--counts-only");
    return measure(new ProcessBuilder(cmd).redirectOutput(scratch.resolve("saturn.out").toFile())
        .redirectError(scratch.resolve("saturn.err").toFile()), "saturn ngram", scratch.resolve("saturn.err"));
  }

  /** The launcher the user runs when this JVM came from it, else this JVM's java and class path. */
  private static List<String> saturnCommand() {
    String home = System.getProperty("saturn.home");
    if (home != null && Files.isExecutable(Path.of(home, "saturn"))) return List.of(Path.of(home, "saturn").toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", System.getProperty("java.class.path"), "saturn.runs.cli.Main");
  }

  private Measure kenlm(Path text, long memory, Path scratch) throws Exception {
    Path tmp = Files.createDirectories(scratch.resolve("kenlm-tmp"));
    ProcessBuilder pb = new ProcessBuilder(o.kenlm().toString(), "-o", Integer.toString(o.order()), "-S",
        (memory >> 20) + "M", "-T", tmp + "/", "--write_vocab_list", scratch.resolve("vocab").toString())
        .redirectInput(text.toFile()).redirectOutput(scratch.resolve("counts.bin").toFile())
        .redirectError(scratch.resolve("kenlm.err").toFile());
    return measure(pb, "count_ngrams", scratch.resolve("kenlm.err"));
  }

  private static Measure measure(ProcessBuilder pb, String what, Path err) throws Exception {
    double load = NgramBenchmark.loadAverage();
    double cpu0 = NgramBenchmark.childCpuSeconds();
    long t0 = System.nanoTime();
    Process p = pb.start();
    long peak = 0;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    while (p.isAlive()) {
      peak = Math.max(peak, vmHwm(status));
      p.waitFor(10, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    int rc = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = NgramBenchmark.childCpuSeconds() - cpu0;
    if (rc != 0) {
      String tail = Files.exists(err) ? String.join("\n", lastLines(Files.readAllLines(err, StandardCharsets.UTF_8), 5)) : "";
      throw new IOException(what + " failed with exit code " + rc + ": " + tail);
    }
    return new Measure(seconds, cpu, peak, load);
  }

  private static List<String> lastLines(List<String> l, int n) {
    return l.subList(Math.max(0, l.size() - n), l.size());
  }

  /** VmHWM of a running process in bytes (0 once it is gone). */
  private static long vmHwm(Path status) {
    try {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException gone) {
      // exited between the check and the read
    }
    return 0;
  }

  /** The train split's documents as lines of decimal token ids, end-of-text markers left out. */
  static void writeText(TokenArtifact ta, Path text) throws IOException {
    int eot = ta.eotToken();
    try (TokenShardReader r = ta.open(TokenShardFormat.TRAIN);
         BufferedWriter w = Files.newBufferedWriter(text, StandardCharsets.US_ASCII)) {
      int[] buf = new int[1 << 16];
      StringBuilder sb = new StringBuilder(1 << 20);
      for (int d = 0; d < r.documents(); d++) {
        long ds = r.documentStart(d);
        long de = r.documentEnd(d);
        if (de > ds && eot >= 0 && r.token(ds) == eot) ds++;
        boolean first = true;
        for (long p = ds; p < de; ) {
          int n = (int) Math.min(buf.length, de - p);
          r.read(p, buf, 0, n);
          for (int i = 0; i < n; i++) {
            if (!first) sb.append(' ');
            sb.append(buf[i]);
            first = false;
          }
          if (sb.length() > (1 << 20) - 200_000) {
            w.append(sb);
            sb.setLength(0);
          }
          p += n;
        }
        sb.append('\n');
      }
      w.append(sb);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(x);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
