package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saturn.lmhead.TrainBenchmark;

/** {@code saturn bench train}: one JSON line per case. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark training steps: presets x (head/optimizer) cases on random tokens, CPU or GPU.",
        "Also runs the same architecture in PyTorch eager (shipped reference script) when python3 has torch, and",
        "prints the ratio. Lines: preset, head, optimizer, ms_per_step, tokens_per_s, model_tflops, mfu, peak_rss_bytes,",
        "speedup_vs_pytorch."})
public final class BenchTrainCommand implements Callable<Integer> {
  @Option(names = "--presets", defaultValue = "tiny,pythia-14m", split = ",", description = "Presets (default: ${DEFAULT-VALUE}).")
  List<String> presets;

  @Option(names = "--cases", defaultValue = "softmax/adamw,stablemax/adamw,softmax/ortho-adamw", split = ",",
      description = "head/optimizer pairs; the first is the baseline of the overhead ratios (default: ${DEFAULT-VALUE}).")
  List<String> cases;

  @Option(names = "--batch", defaultValue = "4", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seq-len", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--vocab", defaultValue = "50257", description = "Tokenizer vocabulary (padded to 128s; default: ${DEFAULT-VALUE}, gpt2).")
  int vocab;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps per case (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--steps", defaultValue = "8", description = "Timed steps per case (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads for saturn and PyTorch (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--no-peer", description = "Do not run the PyTorch-eager peer.")
  boolean noPeer;

  @Option(names = "--python", defaultValue = "python3", description = "Python with torch for the peer (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random tokens (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu | gpu; the peer runs on the same device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--peak-tflops", defaultValue = "0", description = {
      "The device's peak TFLOP/s for the model FLOPs utilisation columns (mfu, pytorch_mfu); 0 = leave them out.",
      "H100 SXM: 67 (FP32), 495 (TF32, with TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1)."})
  double peakTflops;

  @Override
  public Integer call() throws Exception {
    TrainBenchmark.run(new TrainBenchmark.Options(presets, cases, batch, seqLen, vocab, warmup, steps, threads, !noPeer,
        python, seed, device, peakTflops), line -> {
          System.out.println(line);
          System.out.flush();
        });
    return ExitCodes.OK;
  }
}
