package saturn.lmhead;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.PendingArtifact;
import saturn.artifact.Workspace;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.internal.MetricsTable;
import saturn.lmhead.optim.Optimizer;
import saturn.stage.Progress;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * {@code saturn grok}: the grokking experiments of Prieto et al. 2025 — full-batch training on modular arithmetic or
 * sparse parity, reporting per epoch train/test accuracy and loss, the Softmax Collapse fraction, the fraction of
 * exactly-zero losses, the weight norm and cos(−∇L, θ), and the grok step (first epoch with test accuracy >= 95%).
 */
public final class GrokStage implements Stage<GrokSpec> {
  public static final String STAGE = "grok";
  public static final String FORMAT = "saturn-grok";
  public static final int FORMAT_VERSION = 1;
  public static final double GROK_ACCURACY = 0.95;
  public static final List<String> COLUMNS = List.of("epoch", "train_loss", "train_acc", "test_loss", "test_acc",
      "sc_fraction", "zero_loss_fraction", "weight_norm", "cos_neg_grad_theta", "grad_norm");

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, GrokSpec spec) {
    return ArtifactSpec.of(STAGE, FORMAT, FORMAT_VERSION, spec, List.of());
  }

  /** The outcome: metrics per epoch and the grok step (-1 if test accuracy never reached 95%). */
  public record Result(MetricsTable metrics, int grokStep, double finalTrainAcc, double finalTestAcc,
      int trainSize, int testSize, String precisionUsed) {}

  /** Runs the experiment and publishes a {@code grok} artifact (metrics.csv, metrics.arrow; grok step in stats). */
  @Override
  public Artifact make(GrokSpec config, ArtifactSpec identity, StageContext ctx) throws IOException {
    return ctx.workspace().obtain(identity, (PendingArtifact p) -> {
      Result r = run(config, ctx.resources().threads(), ctx.listener());
      r.metrics().writeCsv(p.dir().resolve("metrics.csv"));
      r.metrics().writeArrow(p.dir().resolve("metrics.arrow"));
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("grokStep", r.grokStep());
      stats.put("finalTrainAcc", r.finalTrainAcc());
      stats.put("finalTestAcc", r.finalTestAcc());
      stats.put("trainSize", r.trainSize());
      stats.put("testSize", r.testSize());
      stats.put("precision", r.precisionUsed());
      p.stats(stats);
      p.seed("seed", config.seed());
      p.provenance("engine", TorchRuntime.ENGINE);
      p.provenance("threads", ctx.resources().threads());
    });
  }

  /** The dataset: inputs (one-hot or bits, or token ids for the transformer) and labels, split train/test. */
  record Data(float[] trainX, long[] trainY, float[] testX, long[] testY, int features, int classes, int trainN, int testN) {}

  static Data data(GrokSpec c) {
    SplittableRandom rnd = new SplittableRandom(c.seed());
    boolean tokens = c.model().equals("transformer");
    int n;
    int features;
    int classes;
    float[] x;
    long[] y;
    if (c.task().equals("parity")) {
      int bits = c.parityBits() + c.parityNoiseBits();
      n = c.paritySamples();
      features = bits;
      classes = 2;
      x = new float[n * bits];
      y = new long[n];
      for (int i = 0; i < n; i++) {
        int parity = 0;
        for (int j = 0; j < bits; j++) {
          int bit = rnd.nextInt(2);
          x[i * bits + j] = (float) (bit * c.inputScale());
          if (j < c.parityBits()) parity ^= bit;
        }
        y[i] = parity;
      }
    } else {
      int p = c.modulus();
      n = p * p;
      features = tokens ? 3 : 2 * p;
      classes = p;
      x = new float[n * features];
      y = new long[n];
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          int i = a * p + b;
          if (tokens) {
            x[i * 3] = a;
            x[i * 3 + 1] = b;
            x[i * 3 + 2] = p; // the "=" token
          } else {
            x[i * features + a] = (float) c.inputScale();
            x[i * features + p + b] = (float) c.inputScale();
          }
          y[i] = switch (c.task()) {
            case "add" -> (a + b) % p;
            case "mul" -> ((long) a * b) % p;
            default -> Math.floorMod(a - b, p);
          };
        }
      }
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates with the run's seed
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int trainN = (int) Math.floor(c.trainFraction() * n);
    int testN = n - trainN;
    float[] trX = new float[trainN * features];
    float[] teX = new float[testN * features];
    long[] trY = new long[trainN];
    long[] teY = new long[testN];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (k < trainN) {
        System.arraycopy(x, i * features, trX, k * features, features);
        trY[k] = y[i];
      } else {
        System.arraycopy(x, i * features, teX, (k - trainN) * features, features);
        teY[k - trainN] = y[i];
      }
    }
    return new Data(trX, trY, teX, teY, features, classes, trainN, testN);
  }

  /** A small network: logits from inputs. */
  interface Net extends AutoCloseable {
    NDArray logits(NDArray x);

    Map<String, NDArray> parameters();

    @Override
    void close();
  }

  /**
   * MLP with ReLU; no biases for modular arithmetic (as the reference), biases for parity. torch's default init.
   *
   * <p>With {@code oneHotScale > 0} the input is given as the positions of its hot entries ([N, 2] int64, each equal
   * to {@code oneHotScale}) and the first layer is computed as the sum of those weight columns: the same values as
   * the dense product with the one-hot matrix (adding zeros is exact), without the [N × 2p]·[2p × h] products, which
   * were 40% of a grokking epoch's arithmetic. The parameter keeps the reference's [h, 2p] layout.
   */
  static final class Mlp implements Net {
    final NDManager manager;
    final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
    final int layers;
    final double oneHotScale;

    Mlp(NDManager parent, int in, List<Integer> hidden, int out, boolean bias, DataType dtype, long seed,
        double oneHotScale) {
      this.oneHotScale = oneHotScale;
      manager = parent.newSubManager();
      SplittableRandom rnd = new SplittableRandom(seed ^ 0x1A7E5L);
      List<Integer> dims = new ArrayList<>();
      dims.add(in);
      dims.addAll(hidden);
      dims.add(out);
      layers = dims.size() - 1;
      for (int l = 0; l < layers; l++) {
        int fanIn = dims.get(l);
        int fanOut = dims.get(l + 1);
        double bound = 1 / Math.sqrt(fanIn); // torch.nn.Linear: kaiming_uniform(a=√5) gives U(−1/√fan_in, 1/√fan_in)
        double[] w = new double[fanOut * fanIn];
        for (int i = 0; i < w.length; i++) w[i] = (rnd.nextDouble() * 2 - 1) * bound;
        params.put("layers." + l + ".weight", param(w, new Shape(fanOut, fanIn), dtype));
        if (bias) {
          double[] b = new double[fanOut];
          for (int i = 0; i < b.length; i++) b[i] = (rnd.nextDouble() * 2 - 1) * bound;
          params.put("layers." + l + ".bias", param(b, new Shape(fanOut), dtype));
        }
      }
    }

    private NDArray param(double[] v, Shape s, DataType dtype) {
      NDArray a = manager.create(v, s);
      if (dtype != DataType.FLOAT64) {
        NDArray c = a.toType(dtype, true);
        a.close();
        a = c;
      }
      a.setRequiresGradient(true);
      return a;
    }

    @Override
    public NDArray logits(NDArray x) {
      NDArray h = x;
      int first = 0;
      if (oneHotScale > 0) {
        NDArray w = params.get("layers.0.weight");
        NDArray columns = w.getNDArrayInternal().embedding(x, w.transpose(), SparseFormat.DENSE).singletonOrThrow();
        h = columns.sum(new int[] {1}); // [N, 2, h] → [N, h]
        if (oneHotScale != 1) h = h.mul(oneHotScale);
        NDArray b = params.get("layers.0.bias");
        if (b != null) h = h.add(b);
        if (layers > 1) h = h.getNDArrayInternal().relu();
        first = 1;
      }
      for (int l = first; l < layers; l++) {
        NDArray b = params.get("layers." + l + ".bias");
        h = h.getNDArrayInternal().linear(h, params.get("layers." + l + ".weight"), b).singletonOrThrow();
        if (l < layers - 1) h = h.getNDArrayInternal().relu();
      }
      return h;
    }

    @Override
    public Map<String, NDArray> parameters() {
      return params;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /** The 1-layer transformer (d 128, 4 heads) on [a, b, =], predicting from the last position. */
  static final class Transformer implements Net {
    final GptNeoXModel model;
    final int classes;

    Transformer(NDManager parent, int p, long seed, HeadSpec head) {
      GptNeoXConfig c = new GptNeoXConfig(p + 1, p + 1, 128, 1, 4, 512, 0.25, 10000, 8, 1e-5, true, head);
      model = GptNeoXModel.create(parent, c, seed);
      classes = p;
    }

    @Override
    public NDArray logits(NDArray x) {
      NDArray out = model.forward(x.toType(DataType.INT64, false), false).logits();
      return out.get(":, -1, 0:" + classes);
    }

    @Override
    public Map<String, NDArray> parameters() {
      return model.parameters();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  static DataType dtype(String precision) {
    return switch (precision) {
      case "fp64" -> DataType.FLOAT64;
      case "fp16" -> DataType.FLOAT16;
      default -> DataType.FLOAT32;
    };
  }

  /** Runs the experiment without publishing; reports each logged epoch to the listener. */
  public static Result run(GrokSpec c, int threads, StageListener listener) {
    Engine engine = TorchRuntime.engine(threads);
    long startNanos = System.nanoTime();
    Data d = data(c);
    DataType dtype = dtype(c.precision());
    HeadSpec.Loss lossKind = c.lossKind();
    MetricsTable metrics = new MetricsTable(COLUMNS);
    int grokStep = -1;
    double trainAcc = 0;
    double testAcc = 0;
    boolean modular = !c.task().equals("parity");
    boolean transformer = c.model().equals("transformer");
    boolean oneHot = modular && !transformer;
    // StableMax on float32 logits: the fused kernel, float64 arithmetic as the reference's cast of the logits
    boolean fusedStableMax = lossKind == HeadSpec.Loss.STABLEMAX && dtype == DataType.FLOAT32;
    int[] trainTargets = Arrays.stream(d.trainY()).mapToInt(Math::toIntExact).toArray();
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
    try (NDManager root = NDManager.newBaseManager(engine.getEngineName())) {
      Net net = transformer
          ? new Transformer(root, c.modulus(), c.seed(), new HeadSpec(lossKind, 0, true))
          : new Mlp(root, d.features(), c.hidden(), d.classes(), !modular, dtype, c.seed(), oneHot ? c.inputScale() : 0);
      NDArray trX = oneHot
          ? root.create(hotPositions(d.trainX(), d.trainN(), d.features()), new Shape(d.trainN(), 2))
          : root.create(d.trainX(), new Shape(d.trainN(), d.features())).toType(dtype, false);
      NDArray teX = oneHot
          ? root.create(hotPositions(d.testX(), d.testN(), d.features()), new Shape(d.testN(), 2))
          : root.create(d.testX(), new Shape(d.testN(), d.features())).toType(dtype, false);
      NDArray trY = root.create(d.trainY());
      NDArray teY = root.create(d.testY());
      try (Optimizer opt = new Optimizer(root, c.optimizer(), net.parameters())) {
        Map<String, NDArray> params = net.parameters();
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
          boolean log = epoch == 0 || (epoch + 1) % c.logEvery() == 0 || epoch + 1 == c.epochs();
          double trainLoss = Double.NaN;
          double sc = Double.NaN;
          double zero = Double.NaN;
          double testLoss = Double.NaN;
          double[] gs = null;
          try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits;
            long[] collapseCandidates = null;
            try (GradientCollector gc = engine.newGradientCollector()) {
              logits = net.logits(trX);
              if (fusedStableMax) {
                StableMaxCrossEntropy.Result r = StableMaxCrossEntropy.forwardBackward(logits, trainTargets, true, pool);
                TorchRuntime.backward(logits, r.gradient());
                trainLoss = r.loss();
                zero = r.zeroLossFraction();
                collapseCandidates = r.collapseCandidates();
              } else {
                NDArray perSample = perSampleLoss(lossKind, logits, trY);
                NDArray l = perSample.mean();
                gc.backward(l);
                if (log) {
                  trainLoss = l.toType(DataType.FLOAT64, false).getDouble();
                  zero = Losses.zeroLossFraction(perSample);
                }
              }
            }
            if (log) {
              sc = collapseCandidates != null
                  ? Losses.softmaxCollapseFraction(logits, collapseCandidates)
                  : Losses.softmaxCollapseFraction(logits);
              trainAcc = Losses.accuracy(logits, trY);
            }
            if (log || c.optimizer().gradClipNorm() > 0) gs = TrainStage.Trainer.gradStats(params);
            if (c.optimizer().gradClipNorm() > 0) Optimizer.clipGradients(params, c.optimizer().gradClipNorm(), gs[0]);
            opt.step(params, c.lr());
            if (log) {
              NDArray testLogits = net.logits(teX);
              testLoss = perSampleLoss(lossKind, testLogits, teY).mean().toType(DataType.FLOAT64, false).getDouble();
              testAcc = Losses.accuracy(testLogits, teY);
            }
          }
          if (!log) continue;
          if (grokStep < 0 && testAcc >= GROK_ACCURACY) grokStep = epoch + 1;
          metrics.add(epoch + 1, trainLoss, trainAcc, testLoss, testAcc, sc, zero, gs[2], gs[1], gs[0]);
          listener.progress(new Progress("grok", epoch + 1, c.epochs(), "epochs", (System.nanoTime() - startNanos) / 1e9,
              String.format(java.util.Locale.ROOT, "train acc %.3f, test acc %.3f, train loss %.4g", trainAcc, testAcc,
                  trainLoss)));
        }
      } finally {
        net.close();
      }
    } finally {
      pool.shutdown();
    }
    return new Result(metrics, grokStep, trainAcc, testAcc, d.trainN(), d.testN(), c.precision());
  }

  /** Per row of a two-hot input matrix [n, features], the positions of its two non-zero entries ([n, 2] row-major). */
  static long[] hotPositions(float[] x, int n, int features) {
    long[] pos = new long[n * 2];
    for (int i = 0; i < n; i++) {
      int k = 0;
      for (int j = 0; j < features; j++) {
        if (x[i * features + j] == 0) continue;
        if (k == 2) throw new IllegalStateException("row " + i + " has more than two non-zero inputs");
        pos[i * 2 + k++] = j;
      }
      if (k != 2) throw new IllegalStateException("row " + i + " has " + k + " non-zero inputs, expected 2");
    }
    return pos;
  }

  /** Per-sample loss; StableMax in float64 as the reference, softmax CE in the run's precision (where SC happens). */
  static NDArray perSampleLoss(HeadSpec.Loss kind, NDArray logits, NDArray y) {
    if (kind == HeadSpec.Loss.STABLEMAX) return Losses.perSampleLoss(kind, Losses.toFloat64(logits), y);
    return Losses.perSampleLoss(kind, logits, y);
  }

  /** Summary line for printing. */
  public static String summary(GrokSpec c, Result r) {
    return Json.canonical(Map.of("task", c.task(), "loss", c.loss(), "optimizer", c.optimizer().label(),
        "weight_decay", c.optimizer().weightDecay(), "precision", c.precision(), "epochs", c.epochs(),
        "grok_step", r.grokStep(), "train_acc", r.finalTrainAcc(), "test_acc", r.finalTestAcc()));
  }
}
