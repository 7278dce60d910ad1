package saturn.lmhead;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import saturn.artifact.Json;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.optim.OptimizerConfig;

/**
 * {@code saturn bench train}: times training steps of saturn's model (the exact step {@code saturn train} runs,
 * metrics included) on random tokens, and the same architecture, head and optimizer in PyTorch eager (the
 * reference script shipped as a resource) when {@code python3 -c "import torch"} works. One JSON line per case,
 * with model FLOPs utilisation against {@code peakTflops} when that is given (6N + 12·L·d·T FLOPs per token, N the
 * non-embedding and head parameters, as nanoGPT and PaLM count).
 */
public final class TrainBenchmark {
  public static final String REFERENCE_SCRIPT = "gpt_neox_reference.py";
  /** PyTorch's switch for TF32 cuBLAS matmuls, read by libtorch itself (so by saturn and the peer alike). */
  public static final String TF32_ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  private TrainBenchmark() {}

  /** Benchmark settings. */
  public record Options(List<String> presets, List<String> cases, int batch, int seqLen, int vocab, int warmupSteps,
      int steps, int threads, boolean peer, String python, long seed, String device, double peakTflops) {}

  /** Runs every (preset, case) and hands each JSON line to {@code out}. */
  public static void run(Options o, java.util.function.Consumer<String> out) throws IOException, InterruptedException {
    Engine engine = TorchRuntime.engine(o.threads());
    Path scratch = Files.createTempDirectory("saturn-bench-train");
    Path script = scratch.resolve(REFERENCE_SCRIPT);
    try (InputStream in = TrainBenchmark.class.getResourceAsStream(REFERENCE_SCRIPT)) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    boolean peer = o.peer() && pythonHasTorch(o.python());
    if (o.peer() && !peer) out.accept(Json.canonical(Map.of("peer", "pytorch-eager", "skipped", "python3 -c 'import torch' failed")));
    for (String preset : o.presets()) {
      Map<String, Double> base = new LinkedHashMap<>();
      for (String c : o.cases()) {
        String[] hc = c.split("/");
        String head = hc[0];
        String optimizer = hc.length > 1 ? hc[1] : "adamw";
        double ms = saturnMsPerStep(engine, o, preset, head, optimizer, scratch);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "train");
        line.put("impl", "saturn");
        line.put("preset", preset);
        line.put("head", head);
        line.put("optimizer", optimizer);
        line.put("batch", o.batch());
        line.put("seq_len", o.seqLen());
        line.put("vocab", o.vocab());
        line.put("threads", o.threads());
        line.put("device", o.device());
        if (!o.device().equals("cpu")) line.put("tf32_override", System.getenv().getOrDefault(TF32_ENV, "unset"));
        line.put("ms_per_step", round(ms));
        double tokensPerS = o.batch() * o.seqLen() / (ms / 1000);
        line.put("tokens_per_s", round(tokensPerS));
        double flopsPerToken = flopsPerToken(GptNeoXConfig.preset(preset, o.vocab(), o.seqLen(), HeadSpec.parse(head, true)), o.seqLen());
        line.put("model_tflops", round(flopsPerToken * tokensPerS / 1e12));
        if (o.peakTflops() > 0) line.put("mfu", round(flopsPerToken * tokensPerS / 1e12 / o.peakTflops()));
        line.put("peak_rss_bytes", peakRssBytes());
        if (c.equals(o.cases().get(0))) base.put(preset, ms);
        else line.put("step_time_vs_" + o.cases().get(0).replace('/', '_'), round(ms / base.get(preset)));
        if (peer) {
          Double peerMs = peerMsPerStep(o, script, preset, head, optimizer);
          if (peerMs != null) {
            line.put("pytorch_ms_per_step", round(peerMs));
            if (o.peakTflops() > 0) {
              line.put("pytorch_mfu", round(flopsPerToken * o.batch() * o.seqLen() / (peerMs / 1000) / 1e12 / o.peakTflops()));
            }
            line.put("speedup_vs_pytorch", round(peerMs / ms));
          }
        }
        out.accept(Json.canonical(line));
      }
    }
    TrainStage.deleteTree(scratch);
  }

  static double saturnMsPerStep(Engine engine, Options o, String preset, String head, String optimizer, Path scratch) {
    TrainSpec c = TrainSpec.builder().setTokens(saturn.stage.Inputs.inMemory("tokens")).setPreset(preset).setSteps(o.warmupSteps() + o.steps()).optHead(head)
        .optOptimizer(OptimizerConfig.parse(optimizer, 0.1, 0.9, 0.95, 1.0)).optBatchSize(o.batch())
        .optSeqLen(o.seqLen()).optSeed(o.seed()).optDevice(o.device()).build();
    GptNeoXConfig mc = GptNeoXConfig.preset(preset, o.vocab(), o.seqLen(), c.headSpec());
    SplittableRandom rnd = new SplittableRandom(o.seed());
    // The device is explicit: DJL's default device is the GPU whenever one is visible.
    try (NDManager root = NDManager.newBaseManager(TorchRuntime.device(o.device(), engine), engine.getEngineName());
        TrainStage.Trainer t = new TrainStage.Trainer(root, engine, mc, c, scratch, saturn.stage.StageListener.SILENT, o.threads())) {
      int[][] windows = new int[o.warmupSteps() + o.steps()][];
      for (int s = 0; s < windows.length; s++) {
        windows[s] = new int[o.batch() * (o.seqLen() + 1)];
        for (int i = 0; i < windows[s].length; i++) windows[s][i] = rnd.nextInt(o.vocab());
      }
      long t0 = 0;
      for (int s = 0; s < windows.length; s++) {
        if (s == o.warmupSteps()) t0 = System.nanoTime();
        t.step(windows[s], 1e-3, s);
      }
      // A step returns once its loss and norms are read; the update it queued on a GPU is waited for here.
      try (ai.djl.ndarray.NDArray sync = t.model.parameters().values().iterator().next().sum()) {
        sync.getFloat();
      }
      return (System.nanoTime() - t0) / 1e6 / o.steps();
    }
  }

  /** Training FLOPs per token: 6 per parameter that multiplies (non-embedding and head) plus attention's 12·L·d·T. */
  static double flopsPerToken(GptNeoXConfig m, int seqLen) {
    return 6.0 * (m.nonEmbeddingParameterCount() + m.headParameterCount()) + 12.0 * m.numLayers() * m.hiddenSize() * seqLen;
  }

  static boolean pythonHasTorch(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static Double peerMsPerStep(Options o, Path script, String preset, String head, String optimizer)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(o.python(), script.toString(), "bench", "--preset", preset, "--head", head,
        "--optimizer", optimizer, "--vocab", Integer.toString(o.vocab()), "--batch", Integer.toString(o.batch()),
        "--seq-len", Integer.toString(o.seqLen()), "--steps", Integer.toString(o.steps()), "--warmup",
        Integer.toString(o.warmupSteps()), "--threads", Integer.toString(o.threads()), "--seed", Long.toString(o.seed()), "--device",
        o.device().equals("cpu") ? "cpu" : "cuda")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0 || out.isEmpty()) return null;
    return Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElse("{}")).path("ms_per_step").asDouble();
  }

  /** Peak resident set of this JVM (VmHWM), process-wide: includes earlier cases. */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
