package saturn.lmhead.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;

/** PyTorch-engine specifics in one place: the engine, intra-op threads, devices and gradient buffers. */
public final class TorchRuntime {
  public static final String ENGINE = "PyTorch";

  private TorchRuntime() {}

  /**
   * The PyTorch engine, with intra-op and inter-op threads set (fixed threads keep CPU runs reproducible), and
   * autograd off on the calling thread. DJL turns it off only on the thread that loads the engine and after each
   * GradientCollector; libtorch's grad mode is per thread and on by default, so a stage on a pool thread would
   * otherwise build its parameters (in-place initialisation of leaves that require grad) with autograd on.
   */
  public static synchronized Engine engine(int threads) {
    Engine e = Engine.getEngine(ENGINE);
    JniUtils.setGradMode(false);
    if (threads > 0) {
      if (JniUtils.getNumThreads() != threads) JniUtils.setNumThreads(threads);
      try {
        if (JniUtils.getNumInteropThreads() != 1) JniUtils.setNumInteropThreads(1);
      } catch (RuntimeException alreadyStarted) {
        // inter-op threads can be set only before the first parallel work; intra-op threads are what matter here
      }
    }
    return e;
  }

  public static int threads() {
    return JniUtils.getNumThreads();
  }

  /**
   * The device for {@code cpu} or {@code gpu}; for gpu without a usable CUDA device, an IllegalArgumentException
   * saying what was found.
   */
  public static Device device(String name, Engine engine) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("cpu")) return Device.cpu();
    if (n.equals("gpu") || n.equals("cuda")) {
      int gpus = engine.getGpuCount();
      if (gpus < 1) {
        throw new IllegalArgumentException("--device gpu: no usable GPU (DJL " + Engine.getDjlVersion() + ", PyTorch "
            + engine.getVersion() + " " + flavour() + " natives, 0 CUDA devices visible); use --device cpu, or on a CUDA"
            + " machine the launcher of lmhead/gpu/bundle.sh over python's CUDA torch (see lmhead/README.md, GPU)");
      }
      return Device.gpu();
    }
    throw new IllegalArgumentException("--device " + name + ": expected cpu or gpu");
  }

  private static String flavour() {
    String f = System.getenv("PYTORCH_FLAVOR");
    return f == null ? "cpu" : f;
  }

  /** Sets a parameter's accumulated gradient to zero in place (PyTorch accumulates across backward calls). */
  public static void zeroGradient(NDArray parameter) {
    if (parameter instanceof PtNDArray p && parameter.hasGradient()) {
      try (NDArray g = p.getGradient()) {
        JniUtils.zeroGrad(p);
      }
    } else if (parameter.hasGradient()) {
      NDArray g = parameter.getGradient();
      g.muli(0);
    }
  }

  /**
   * Back-propagates from {@code output} with {@code gradient} as ∂loss/∂output (torch's {@code output.backward(gradient)}),
   * for losses whose gradient saturn computes itself. Call inside the GradientCollector that recorded {@code output}.
   */
  public static void backward(NDArray output, NDArray gradient) {
    JniUtils.backward((PtNDArray) output, (PtNDArray) gradient, false, false);
  }

  /** Seeds the engine's own generator (dropout etc.); saturn draws its own randomness in Java. */
  public static void seed(long seed) {
    JniUtils.setSeed(seed);
  }
}
