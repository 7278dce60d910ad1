package saturn.runs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ngram.ContextMatrixSpec;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.CsrMatrix;
import saturn.ngram.NgramSpec;
import saturn.ngram.NgramStage;
import saturn.ngram.format.ContextMatrixReader;
import saturn.spectra.SpectraSpec;
import saturn.stage.ByteSize;
import saturn.stage.Resources;
import saturn.stage.StageContext;
import saturn.stage.StageListener;
import saturn.spectra.SpectraStage;
import saturn.spectra.Spectrum;
import saturn.spectra.internal.NpzExport;
import saturn.spectra.internal.SyntheticMatrix;

/**
 * {@code saturn bench spectra}: W of the shared corpora (gpt2 and llama2 tokenizers) at several k, a generated
 * 5M × 50,257 matrix with 50M entries, and scipy.sparse.linalg.svds on the same corpus W (exported as .npz) for the
 * ratio. One JSON line per case on stdout.
 */
@Command(name = "spectra", mixinStandardHelpOptions = true,
    description = "Benchmark the spectra stage; one JSON line per case (seconds, peak RSS, max accuracy bound).")
public final class BenchSpectraCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--shared", paramLabel = "DIR",
      description = "Shared data (corpora/, tokenizers/); default: -Dsaturn.shared, else <saturn home>/../shared.")
  Path shared;

  @Option(names = "--tokenizers", split = ",", defaultValue = "gpt2,llama2",
      description = "Tokenizers under <shared>/tokenizers for the corpus cases; 'none' for none (default: ${DEFAULT-VALUE}).")
  List<String> tokenizers;

  @Option(names = "--ranks", split = ",", defaultValue = "256,1024,4096", description = "k for the corpus cases (default: ${DEFAULT-VALUE}).")
  List<Integer> ranks;

  @Option(names = "--synthetic", defaultValue = "5000000x50257:50000000@1024",
      description = "ROWSxCOLS:NNZ@K of the generated case, or 'none' (default: ${DEFAULT-VALUE}).")
  String synthetic;

  @Option(names = "--scipy-rank", defaultValue = "256", description = "k for scipy svds; 0 skips scipy (default: ${DEFAULT-VALUE}).")
  int scipyRank;

  @Option(names = "--tolerance", defaultValue = "" + SpectraSpec.DEFAULT_TOLERANCE, description = "As for `saturn spectra` (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--max-cycles", defaultValue = "" + SpectraSpec.DEFAULT_MAX_CYCLES, description = "As for `saturn spectra` (default: ${DEFAULT-VALUE}).")
  int maxCycles;

  @Option(names = "--threads", description = "Threads for the sparse kernel (default: all cores).")
  Integer threads;

  @Option(names = "--memory", defaultValue = "16g", description = "Memory budget per case (default: ${DEFAULT-VALUE}).")
  String memory;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    Resources res = new Resources(threads != null ? threads : Runtime.getRuntime().availableProcessors(),
        ByteSize.parse(memory).bytes());
    Path sharedDir = sharedDir();
    for (String tok : tokenizers) {
      if (tok.equals("none")) continue;
      CsrMatrix m = corpusMatrix(w, sharedDir, tok);
      String name = "corpus-" + tok;
      Map<Integer, Spectrum> byRank = new LinkedHashMap<>();
      for (int k : ranks) byRank.put(k, runCase(name, m, k, res));
      if (scipyRank > 0) scipyCase(w, name, m, byRank.containsKey(scipyRank) ? byRank.get(scipyRank) : runCase(name, m, scipyRank, res));
    }
    if (!synthetic.equals("none")) {
      String[] p = synthetic.split("[x:@]");
      if (p.length != 4) throw new IllegalArgumentException("--synthetic: expected ROWSxCOLS:NNZ@K, got " + synthetic);
      long t0 = System.nanoTime();
      CsrMatrix m = SyntheticMatrix.zipfRows(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Long.parseLong(p[2]), 1);
      System.err.printf("bench: generated %,d x %,d with %,d entries in %.1f s%n", m.rows(), m.cols(), m.nnz(),
          (System.nanoTime() - t0) / 1e9);
      runCase("synthetic-zipf", m, Integer.parseInt(p[3]), res);
    }
    return ExitCodes.OK;
  }

  private Path sharedDir() {
    if (shared != null) return shared;
    String prop = System.getProperty("saturn.shared");
    if (prop != null) return Paths.get(prop);
    String home = System.getProperty("saturn.home", ".");
    return Paths.get(home).toAbsolutePath().getParent().resolve("shared");
  }

  private Spectrum runCase(String name, CsrMatrix m, int k, Resources res) throws IOException {
    SpectraSpec cfg = SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(k).optTolerance(tolerance)
        .optMaxCycles(maxCycles).build();
    resetPeakRss();
    System.gc();
    long t0 = System.nanoTime();
    Spectrum s = SpectraStage.compute(m, cfg, res, new StageListener() {
      @Override
      public void note(String msg) {
        System.err.println("bench: " + msg);
      }
    });
    double secs = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "spectra");
    line.put("case", name);
    line.put("rows", m.rows());
    line.put("cols", m.cols());
    line.put("nnz", m.nnz());
    line.put("non_empty_columns", s.nonEmptyColumns());
    line.put("k", s.rank());
    line.put("solver", s.solver());
    line.put("threads", res.threads());
    line.put("seconds", round(secs));
    line.put("peak_rss_bytes", peakRss());
    line.put("max_accuracy", s.maxAccuracy());
    line.put("converged", s.converged());
    line.put("cycles", s.cycles());
    line.put("operator_columns", s.operatorColumns());
    line.put("sigma_1", s.rank() > 0 ? s.sigma()[0] : 0);
    line.put("w_error_at_k", s.wError()[s.rank()]);
    line.put("first_rank_with_w_error_at_most", s.firstRankBelow());
    System.out.println(ONE_LINE.writeValueAsString(line));
    System.out.flush();
    return s;
  }

  private void scipyCase(Workspace w, String name, CsrMatrix m, Spectrum ours) throws IOException, InterruptedException {
    Path npz = w.scratch().resolve("bench-" + name + ".npz");
    NpzExport.write(m, npz);
    Path script = w.scratch().resolve("bench_svds.py");
    Files.writeString(script, SCIPY_SCRIPT, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), npz.toString(), Integer.toString(scipyRank));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      System.err.println("bench: python3 not found; scipy comparison skipped");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    Files.deleteIfExists(npz);
    if (rc != 0 || out.isEmpty()) {
      System.err.println("bench: scipy run failed (exit " + rc + "); is scipy installed? skipped");
      return;
    }
    var node = Json.MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
    double scipySecs = node.get("seconds").asDouble();
    double maxRel = 0;
    int k = Math.min(ours.rank(), node.get("sigma").size());
    for (int i = 0; i < k; i++) {
      double ref = node.get("sigma").get(i).asDouble();
      maxRel = Math.max(maxRel, Math.abs(ours.sigma()[i] - ref) / ref);
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "spectra");
    line.put("case", name + "-vs-scipy-svds");
    line.put("k", scipyRank);
    line.put("seconds_saturn", round(ours.seconds()));
    line.put("seconds_scipy", round(scipySecs));
    line.put("ratio_scipy_over_saturn", round(scipySecs / ours.seconds()));
    line.put("max_relative_difference_sigma", maxRel);
    line.put("max_accuracy_saturn", ours.maxAccuracy());
    line.put("scipy_peak_rss_bytes", node.get("peak_rss_bytes").asLong());
    line.put("scipy", node.get("scipy").asText());
    System.out.println(ONE_LINE.writeValueAsString(line));
    System.out.flush();
  }

  private static final com.fasterxml.jackson.databind.ObjectWriter ONE_LINE =
      Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

  static final String SCIPY_SCRIPT = String.join("\n",
      "import json, resource, sys, time",
      "import numpy as np, scipy, scipy.sparse as sp",
      "from scipy.sparse.linalg import svds",
      "A = sp.load_npz(sys.argv[1]).astype(np.float64)",
      "k = int(sys.argv[2])",
      "t = time.perf_counter()",
      "try:",
      "    s = svds(A, k=k, return_singular_vectors=False, rng=np.random.default_rng(0))",
      "except TypeError:",
      "    s = svds(A, k=k, return_singular_vectors=False, random_state=0)",
      "dt = time.perf_counter() - t",
      "print(json.dumps({'seconds': dt, 'sigma': sorted(map(float, s), reverse=True), 'scipy': scipy.__version__,",
      "                  'peak_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))",
      "");

  /** W of all shared corpora with one tokenizer: ingest, count 5-grams, build W (min count 2); artifacts are cached. */
  static CsrMatrix corpusMatrix(Workspace w, Path sharedDir, String tok) throws IOException {
    Path corpora = sharedDir.resolve("corpora");
    Path tokenizer = sharedDir.resolve("tokenizers").resolve(tok).resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new IllegalArgumentException("no tokenizer " + tokenizer + "; pass --shared DIR holding tokenizers/" + tok + "/tokenizer.json");
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpora)) {
      s.filter(f -> f.toString().endsWith(".txt.gz")).sorted().forEach(f -> files.add(f.toString()));
    }
    if (files.isEmpty()) throw new IllegalArgumentException("no *.txt.gz under " + corpora + "; pass --shared DIR");
    long t0 = System.nanoTime();
    StageContext ctx = StageContext.of(w);
    Artifact tokens = new IngestStage().run(IngestSpec.builder().setInputs(files).setTokenizer(tokenizer.toString()).build(), ctx);
    Artifact counts = new NgramStage().run(NgramSpec.builder().setTokens(tokens.id()).build(), ctx);
    Artifact matrix = new ContextMatrixStage().run(ContextMatrixSpec.builder().setCounts(counts.id()).build(), ctx);
    CsrMatrix m = ContextMatrixReader.read(matrix);
    System.err.printf("bench: W for %s: %s (%,d x %,d, %,d entries), ready in %.1f s%n", tok, matrix.id(), m.rows(),
        m.cols(), m.nnz(), (System.nanoTime() - t0) / 1e9);
    return m;
  }

  private static void resetPeakRss() {
    try {
      Files.writeString(Paths.get("/proc/self/clear_refs"), "5"); // Linux: resets VmHWM to the current RSS
    } catch (IOException | RuntimeException e) {
      // not Linux or not permitted: the peak then covers the whole process so far
    }
  }

  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
