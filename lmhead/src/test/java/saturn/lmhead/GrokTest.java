package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import saturn.lmhead.optim.OptimizerConfig;

/** The grokking setup and the paper's ordering on a reduced problem (p = 59, MLP 200-200, full batch, no decay). */
class GrokTest {

  static GrokSpec.Builder reduced(String loss, String optimizer, int epochs) {
    return GrokSpec.builder().optModulus(59).optEpochs(epochs).optLoss(loss)
        .optOptimizer(OptimizerConfig.parse(optimizer, 0.0, 0.9, 0.99, 0.0).withDecayAllTensors(true)
            .withEpsilon(GrokSpec.REFERENCE_ADAM_EPSILON));
  }

  @Test
  void datasetMatchesThePaper() {
    GrokStage.Data d = GrokStage.data(GrokSpec.builder().build());
    assertEquals(5107, d.trainN(), "0.4 of 113² pairs");
    assertEquals(113 * 113 - 5107, d.testN());
    assertEquals(226, d.features(), "two concatenated one-hots");
    // labels are (a + b) mod 113 of the one-hot positions
    for (int i = 0; i < 50; i++) {
      int a = -1;
      int b = -1;
      for (int j = 0; j < 113; j++) {
        if (d.trainX()[i * 226 + j] == 1f) a = j;
        if (d.trainX()[i * 226 + 113 + j] == 1f) b = j;
      }
      assertEquals((a + b) % 113, d.trainY()[i]);
    }
    GrokStage.Data parity = GrokStage.data(GrokSpec.builder().optTask("parity").optTrainFraction(0.5).build());
    assertEquals(1000, parity.trainN());
    assertEquals(43, parity.features());
    for (int i = 0; i < 20; i++) {
      int x = 0;
      for (int j = 0; j < 3; j++) x ^= (int) parity.trainX()[i * 43 + j];
      assertEquals(x, parity.trainY()[i]);
    }
    assertThrows(IllegalArgumentException.class, () -> GrokSpec.builder().optTask("div").build());
  }

  @Test
  void runsOnAFreshThreadAfterTheEngineLoadedElsewhere() throws Exception {
    // A pipeline runs stages on pool threads, where libtorch's (per-thread) grad mode starts on.
    saturn.lmhead.engine.TorchRuntime.engine(1);
    GrokSpec c = reduced("softmax", "adamw", 2).optModulus(11).optModel("transformer").build();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        ai.djl.pytorch.jni.JniUtils.setGradMode(true); // what a fresh libtorch thread has
        assertEquals(2, GrokStage.run(c, 1, saturn.stage.StageListener.SILENT).metrics().rows().size());
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    t.join();
    if (failure.get() != null) throw new AssertionError("grok on a fresh thread: " + failure.get(), failure.get());
  }

  @Test
  void everyTaskModelAndPrecisionRuns() {
    for (GrokSpec c : List.of(
        reduced("stablemax", "sgd", 3).optModulus(11).optModel("transformer").build(),
        reduced("softmax", "adamw", 3).optTask("parity").optTrainFraction(0.5).optParitySamples(200).build(),
        reduced("softmax", "ortho-adamw", 3).optModulus(11).optTask("mul").optPrecision("fp16").build(),
        reduced("stablemax", "adamw", 3).optModulus(11).optTask("sub").optPrecision("fp64").build())) {
      GrokStage.Result r = GrokStage.run(c, 1, saturn.stage.StageListener.SILENT);
      assertEquals(3, r.metrics().rows().size(), c.toString());
      for (double[] row : r.metrics().rows()) {
        for (double v : row) assertTrue(Double.isFinite(v), c + ": " + java.util.Arrays.toString(row));
      }
    }
  }

  @Test
  void oneHotFirstLayerAsColumnSumsEqualsTheDenseProduct() {
    GrokSpec c = GrokSpec.builder().optModulus(17).build();
    GrokStage.Data d = GrokStage.data(c);
    ai.djl.engine.Engine engine = saturn.lmhead.engine.TorchRuntime.engine(1);
    for (double scale : new double[] {1, 3}) {
      try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(engine.getEngineName())) {
        GrokStage.Mlp dense = new GrokStage.Mlp(m, d.features(), c.hidden(), d.classes(), false,
            ai.djl.ndarray.types.DataType.FLOAT32, 7, 0);
        GrokStage.Mlp gather = new GrokStage.Mlp(m, d.features(), c.hidden(), d.classes(), false,
            ai.djl.ndarray.types.DataType.FLOAT32, 7, scale);
        float[] x = d.trainX().clone();
        for (int i = 0; i < x.length; i++) x[i] *= (float) scale;
        ai.djl.ndarray.NDArray xd = m.create(x, new ai.djl.ndarray.types.Shape(d.trainN(), d.features()));
        ai.djl.ndarray.NDArray xi = m.create(GrokStage.hotPositions(d.trainX(), d.trainN(), d.features()),
            new ai.djl.ndarray.types.Shape(d.trainN(), 2));
        float[][] grads = new float[2][];
        float[][] logits = new float[2][];
        int k = 0;
        for (GrokStage.Mlp net : List.of(dense, gather)) {
          try (ai.djl.training.GradientCollector gc = engine.newGradientCollector()) {
            ai.djl.ndarray.NDArray out = net.logits(net == dense ? xd : xi);
            logits[k] = out.toFloatArray();
            gc.backward(out.square().sum());
          }
          grads[k++] = net.parameters().get("layers.0.weight").getGradient().toFloatArray();
        }
        float[] scaled = logits[0];
        for (int i = 0; i < scaled.length; i++) {
          assertEquals(scaled[i], logits[1][i], 1e-5f * Math.max(1, Math.abs(scaled[i])), "logit " + i + " scale " + scale);
        }
        assertEquals(grads[0].length, grads[1].length);
        for (int i = 0; i < grads[0].length; i++) {
          assertEquals(grads[0][i], grads[1][i], 1e-4f * Math.max(1, Math.abs(grads[0][i])), "∂/∂W0 " + i + " scale " + scale);
        }
        if (scale == 1) {
          assertTrue(java.util.Arrays.equals(logits[0], logits[1]), "adding zeros is exact: the same logits bit for bit");
        }
      }
    }
    assertThrows(IllegalStateException.class, () -> GrokStage.hotPositions(new float[] {1, 0, 0, 0}, 1, 4));
  }

  @Test
  void logEveryKeepsTheFirstEveryNthAndTheLastEpoch() {
    GrokStage.Result r = GrokStage.run(reduced("stablemax", "adamw", 25).optModulus(13).optLogEvery(10).build(), 1,
        saturn.stage.StageListener.SILENT);
    List<Double> epochs = r.metrics().rows().stream().map(row -> row[0]).toList();
    assertEquals(List.of(1.0, 10.0, 20.0, 25.0), epochs);
    for (double[] row : r.metrics().rows()) {
      for (double v : row) assertTrue(Double.isFinite(v), java.util.Arrays.toString(row));
    }
    assertThrows(IllegalArgumentException.class, () -> reduced("softmax", "adamw", 5).optLogEvery(0).build());
    assertThrows(IllegalArgumentException.class, () -> reduced("softmax", "adamw", 5).optInputScale(0).build());
  }

  @Test
  void orthoAdamWGeneralisesWhilePlainSoftmaxMemorisesAndStalls() {
    GrokStage.Result ortho = GrokStage.run(reduced("softmax", "ortho-adamw", 200).build(), 1, saturn.stage.StageListener.SILENT);
    GrokStage.Result plain = GrokStage.run(reduced("softmax", "adamw", 200).build(), 1, saturn.stage.StageListener.SILENT);
    assertTrue(ortho.grokStep() > 0 && ortho.grokStep() <= 200, "⊥AdamW grok step " + ortho.grokStep());
    assertEquals(1.0, plain.finalTrainAcc(), 1e-9, "plain AdamW fits the training set");
    assertTrue(plain.finalTestAcc() < 0.2, "plain softmax without regularisation does not generalise: " + plain.finalTestAcc());
    assertEquals(-1, plain.grokStep());
    List<double[]> rows = plain.metrics().rows();
    double[] last = rows.get(rows.size() - 1);
    assertTrue(last[7] > rows.get(0)[7], "weight norm grows along the naive-loss-minimisation direction");
  }
}
