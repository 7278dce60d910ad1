package saturn.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.DefaultCorpus;
import saturn.ingest.IngestBench;

/**
 * {@code saturn bench ingest}: the ingest stage against the tokenizer alone, on the shared corpora (when
 * {@code --shared} or {@code ../shared} exists), the embedded default corpus, and a generated corpus of
 * {@code --generated-gb} (made from those texts, deleted afterwards). Each run is a fresh child JVM with
 * {@code -Xmx<heap>}; the peak RSS it reports is its own.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Benchmark ingest vs the raw tokenizer (both cores); one JSON line per run plus the ratio.")
public final class BenchIngestCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--shared", paramLabel = "DIR", description = "The shared corpora directory (default: ../shared next to saturn, if present).")
  Path shared;

  @Option(names = "--generated-gb", defaultValue = "1", description = "Size of the generated corpus in GB; 0 to skip (default: ${DEFAULT-VALUE}).")
  double generatedGb;

  @Option(names = "--tokenizer", defaultValue = "gpt2", description = "Tokenizer (default: ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for both ingest and the raw tokenizer; 0 = one per core.")
  int threads;

  @Option(names = "--raw-limit-mb", defaultValue = "0", paramLabel = "MB",
      description = "Measure the tokenizer alone on at most this many MB (millions of characters) of each corpus's text; 0 = all of it (default).")
  long rawLimitMb;

  @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of each child JVM (default: ${DEFAULT-VALUE}).")
  String heap;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    Path scratch = Files.createTempDirectory(w.scratch(), "bench-ingest");
    try {
      List<IngestBench.Case> cases = new ArrayList<>();
      List<Path> sourceTexts = new ArrayList<>();
      Path sharedDir = shared != null ? shared : Path.of(System.getProperty("saturn.home", "."), "..", "shared").normalize();
      if (Files.isDirectory(sharedDir.resolve("corpora"))) {
        for (String c : List.of("gutenberg", "web-bible")) {
          Path d = sharedDir.resolve("corpora").resolve(c);
          if (Files.isDirectory(d)) {
            cases.add(new IngestBench.Case("shared/" + c, List.of(d.toString()), "paragraph", "UTF-8"));
            try (Stream<Path> s = Files.list(d)) {
              s.sorted().forEach(sourceTexts::add);
            }
          }
        }
      }
      cases.add(new IngestBench.Case("europarl (default corpus)", List.of(DefaultCorpus.path().toString()), "file", "UTF-8"));
      if (sourceTexts.isEmpty()) sourceTexts.add(DefaultCorpus.path());
      if (generatedGb > 0) {
        long target = (long) (generatedGb * 1e9);
        System.err.printf("generating a %.1f GB corpus from %d files under %s ...%n", generatedGb, sourceTexts.size(), scratch);
        IngestBench.generate(scratch.resolve("generated"), sourceTexts, target);
        cases.add(new IngestBench.Case(String.format("generated-%.1fGB", generatedGb),
            List.of(scratch.resolve("generated").toString()), "paragraph", "UTF-8"));
      }
      for (IngestBench.Case c : cases) {
        JsonNode ingest = child("ingest", scratch.resolve("ws-" + cases.indexOf(c)), c);
        JsonNode raw = child("raw", scratch, c);
        double ratio = ingest.get("tokensPerSecond").asDouble() / raw.get("tokensPerSecond").asDouble();
        double cpuRatio = ingest.get("tokensPerCpuSecond").asDouble() / raw.get("tokensPerCpuSecond").asDouble();
        System.out.println(Json.canonical(java.util.Map.of("bench", "ingest", "case", "ratio", "corpus", c.name(),
            "ingestOverTokenizerAlone", Math.round(ratio * 1000) / 1000.0,
            "ingestOverTokenizerAlonePerCpuSecond", Math.round(cpuRatio * 1000) / 1000.0,
            "loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "target", 0.8)));
        System.out.flush();
      }
    } finally {
      deleteTree(scratch);
    }
    return ExitCodes.OK;
  }

  private JsonNode child(String mode, Path workspace, IngestBench.Case c) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a);
    }
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(IngestBench.class.getName());
    cmd.addAll(List.of(mode, workspace.toString(), tokenizer, String.valueOf(threads), c.splitTxt(), c.encoding(), c.name(),
        mode.equals("raw") ? String.valueOf(rawLimitMb * 1_000_000) : "0"));
    cmd.addAll(c.inputs());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          System.out.println(line);
          System.out.flush();
          last = line;
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || last == null) throw new IllegalStateException("bench child (" + mode + " " + c.name() + ") failed with exit code " + rc);
    return Json.MAPPER.readTree(last);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}
