package saturn.lmhead.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.format.Tensor;

/**
 * AdamW (torch.optim.AdamW's update, decoupled decay) or SGD with momentum (torch.optim.SGD's), optionally with ⊥Grad,
 * on live parameter arrays whose gradients were filled by backward(). State (moments, step) lives in this object's
 * manager and round-trips through {@link #stateTensors()} / {@link #loadState(Map, long)} bit for bit.
 */
public final class Optimizer implements AutoCloseable {
  public static final String EXP_AVG = "exp_avg.";
  public static final String EXP_AVG_SQ = "exp_avg_sq.";
  public static final String MOMENTUM = "momentum_buffer.";
  public static final String MASTER = "master.";

  private final OptimizerConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private final Map<String, NDArray> momentum = new LinkedHashMap<>();
  /** float32 master copies of float16 parameters (mixed precision: the update never rounds to fp16 state). */
  private final Map<String, NDArray> master = new LinkedHashMap<>();
  private long step;
  /** Threads of the fused CPU update: as many as libtorch's intra-op threads. */
  private final ForkJoinPool pool = new ForkJoinPool(Math.max(1, TorchRuntime.threads()));

  public Optimizer(NDManager parent, OptimizerConfig config, Map<String, NDArray> params) {
    this.config = config;
    this.manager = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      DataType stateType = p.getDataType();
      if (stateType == DataType.FLOAT16) {
        stateType = DataType.FLOAT32;
        NDArray m = p.toType(DataType.FLOAT32, true);
        m.attach(manager);
        master.put(e.getKey(), m);
      }
      if (config.kind() == OptimizerConfig.Kind.ADAMW) {
        expAvg.put(e.getKey(), manager.zeros(p.getShape(), stateType));
        expAvgSq.put(e.getKey(), manager.zeros(p.getShape(), stateType));
      } else if (config.momentum() > 0) {
        momentum.put(e.getKey(), manager.zeros(p.getShape(), stateType));
      }
    }
  }

  public OptimizerConfig config() {
    return config;
  }

  /** Steps taken so far (AdamW's bias correction uses it). */
  public long stepCount() {
    return step;
  }

  /**
   * Global L2 norm of all gradients (float64 accumulation); when {@code clip} > 0 and the norm exceeds it, scales
   * every gradient by clip/(norm + 1e-6) in place, as torch.nn.utils.clip_grad_norm_. Returns the norm before clipping.
   */
  public static double clipGradients(Map<String, NDArray> params, double clip) {
    double sq = 0;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (NDArray p : params.values()) {
        NDArray g = p.getGradient();
        NDArray gd = g.toType(DataType.FLOAT64, false);
        sq += gd.mul(gd).sum().getDouble();
      }
      double norm = Math.sqrt(sq);
      clipGradients(params, clip, norm);
      return norm;
    }
  }

  /** Scales gradients whose global norm {@code norm} (already computed) exceeds {@code clip}. */
  public static void clipGradients(Map<String, NDArray> params, double clip, double norm) {
    if (clip > 0 && norm > clip) {
      float scale = (float) (clip / (norm + 1e-6));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        for (NDArray p : params.values()) p.getGradient().muli(scale);
      }
    }
  }

  /** One update of every parameter with learning rate {@code lr}, then zeroes the gradients. */
  public void step(Map<String, NDArray> params, double lr) {
    step++;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        try (NDScope perTensor = new NDScope()) { // free each tensor's temporaries before the next one's
          perTensor.suppressNotUsedWarning();
          String name = e.getKey();
          NDArray live = e.getValue();
          NDArray p = master.getOrDefault(name, live);
          NDArray g = live.getGradient();
          if (g.getDataType() != p.getDataType()) g = g.toType(p.getDataType(), false);
          if (config.orthogonal()) {
            if (fusable(p, g)) OrthoGrad.projectInPlace(p, g, pool);
            else g = OrthoGrad.project(p, g);
          }
          boolean decay = config.weightDecay() > 0 && (config.decayAllTensors() || p.getShape().dimension() >= 2);
          if (config.kind() == OptimizerConfig.Kind.ADAMW) {
            adamw(name, p, g, lr, decay);
          } else {
            sgd(name, p, g, lr, decay);
          }
          if (p != live) live.set(p.toType(live.getDataType(), false).toByteBuffer());
        }
      }
    }
    for (NDArray p : params.values()) TorchRuntime.zeroGradient(p);
  }

  private void adamw(String name, NDArray p, NDArray g, double lr, boolean decay) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    NDArray m = expAvg.get(name);
    NDArray v = expAvgSq.get(name);
    double bc1 = 1 - Math.pow(b1, step);
    double bc2 = 1 - Math.pow(b2, step);
    float decayFactor = decay ? (float) (1 - lr * config.weightDecay()) : 1f;
    if (fusable(p, g)) {
      FusedAdamW.step(p, g, m, v, decayFactor, (float) b1, (float) b2, (float) (lr / bc1), (float) Math.sqrt(bc2),
          (float) config.epsilon(), pool);
      return;
    }
    // double scalars: libtorch rounds them to the tensor's precision, so float64 runs keep full-precision β, ε, lr
    if (decay) p.muli(1 - lr * config.weightDecay());
    m.muli(b1).addi(g.mul(1 - b1));
    v.muli(b2).addi(g.mul(g).muli(1 - b2));
    NDArray denom = v.sqrt().divi(Math.sqrt(bc2)).addi(config.epsilon());
    p.subi(m.div(denom).muli(lr / bc1));
  }

  /** float32 CPU tensors take the fused Java updates (FusedAdamW, OrthoGrad.projectInPlace). */
  private static boolean fusable(NDArray p, NDArray g) {
    return p.getDataType() == DataType.FLOAT32 && g.getDataType() == DataType.FLOAT32 && Device.cpu().equals(p.getDevice())
        && Device.cpu().equals(g.getDevice());
  }

  private void sgd(String name, NDArray p, NDArray g, double lr, boolean decay) {
    NDArray d = decay ? g.add(p.mul((float) config.weightDecay())) : g;
    if (config.momentum() > 0) {
      NDArray buf = momentum.get(name);
      if (step == 1) buf.set(d.toFloatArray()); // torch initialises the buffer with the first gradient
      else buf.muli((float) config.momentum()).addi(d);
      d = buf;
    }
    p.subi(d.mul((float) lr));
  }

  /** State tensors with names {@code exp_avg.<param>}, {@code exp_avg_sq.<param>}, {@code momentum_buffer.<param>}. */
  public List<Tensor> stateTensors() {
    List<Tensor> out = new ArrayList<>();
    addAll(out, EXP_AVG, expAvg);
    addAll(out, EXP_AVG_SQ, expAvgSq);
    addAll(out, MOMENTUM, momentum);
    addAll(out, MASTER, master);
    return out;
  }

  private static void addAll(List<Tensor> out, String prefix, Map<String, NDArray> m) {
    for (Map.Entry<String, NDArray> e : m.entrySet()) {
      out.add(Tensor.ofFloats(prefix + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
    }
  }

  /** Restores moments and the step count written by {@link #stateTensors()}. */
  public void loadState(Map<String, Tensor> tensors, long stepCount) {
    restore(tensors, EXP_AVG, expAvg);
    restore(tensors, EXP_AVG_SQ, expAvgSq);
    restore(tensors, MOMENTUM, momentum);
    restore(tensors, MASTER, master);
    this.step = stepCount;
  }

  private static void restore(Map<String, Tensor> tensors, String prefix, Map<String, NDArray> m) {
    for (Map.Entry<String, NDArray> e : m.entrySet()) {
      Tensor t = tensors.get(prefix + e.getKey());
      if (t == null) throw new IllegalArgumentException("optimizer state lacks '" + prefix + e.getKey() + "'");
      e.getValue().set(t.toFloatArray());
    }
  }

  @Override
  public void close() {
    pool.shutdown();
    manager.close();
  }
}
