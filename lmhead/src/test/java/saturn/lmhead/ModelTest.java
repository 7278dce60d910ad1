package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.format.Tensor;

class ModelTest {
  static NDManager manager;

  @BeforeAll
  static void engine() {
    TorchRuntime.engine(2);
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static GptNeoXConfig tiny(HeadSpec head) {
    return GptNeoXConfig.preset("tiny", 200, 64, head);
  }

  @Test
  void presetsHavePythiasShapesAndParameterCounts() {
    GptNeoXConfig p70 = GptNeoXConfig.preset("pythia-70m", 50277, 2048, HeadSpec.SOFTMAX);
    assertEquals(50304, p70.vocabSize());
    assertEquals(27, p70.paddedRows());
    assertEquals(18_915_328L, p70.nonEmbeddingParameterCount());
    assertEquals(70_426_624L, p70.parameterCount());
    GptNeoXConfig p160 = GptNeoXConfig.preset("pythia-160m", 50277, 2048, HeadSpec.SOFTMAX);
    assertEquals(85_056_000L, p160.nonEmbeddingParameterCount());
    assertEquals(162_322_944L, p160.parameterCount());
    assertEquals(8, GptNeoXConfig.preset("pythia-14m", 50277, 2048, HeadSpec.SOFTMAX).rotaryDims());
    assertThrows(IllegalArgumentException.class, () -> GptNeoXConfig.preset("pythia-7b", 1, 1, HeadSpec.SOFTMAX));
  }

  @Test
  void forwardShapesAndHiddenStates() {
    try (NDManager m = manager.newSubManager(); GptNeoXModel model = GptNeoXModel.create(m, tiny(HeadSpec.SOFTMAX), 1)) {
      NDArray tokens = m.create(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new Shape(2, 6));
      GptNeoXModel.Output out = model.forward(tokens, true);
      assertEquals(new Shape(2, 6, 256), out.logits().getShape());
      assertEquals(3, out.hiddenStates().size());
      for (NDArray h : out.hiddenStates()) assertEquals(new Shape(2, 6, 64), h.getShape());
    }
  }

  @Test
  void lowRankHeadHasFactorsAndShapes() {
    GptNeoXConfig c = tiny(HeadSpec.parse("lowrank:8+stablemax", true));
    try (NDManager m = manager.newSubManager(); GptNeoXModel model = GptNeoXModel.create(m, c, 1)) {
      assertEquals(new Shape(8, 64), model.parameter("embed_out.down.weight").getShape());
      assertEquals(new Shape(256, 8), model.parameter("embed_out.up.weight").getShape());
      NDArray tokens = m.create(new int[] {1, 2, 3, 4}, new Shape(1, 4));
      assertEquals(new Shape(1, 4, 256), model.forward(tokens, false).logits().getShape());
    }
  }

  @Test
  void attentionIsCausal() {
    try (NDManager m = manager.newSubManager(); GptNeoXModel model = GptNeoXModel.create(m, tiny(HeadSpec.SOFTMAX), 7)) {
      float[] a = model.forward(m.create(new int[] {5, 6, 7, 8, 9}, new Shape(1, 5)), false).logits().toFloatArray();
      float[] b = model.forward(m.create(new int[] {5, 6, 7, 99, 100}, new Shape(1, 5)), false).logits().toFloatArray();
      int v = 256;
      for (int i = 0; i < 3 * v; i++) assertEquals(a[i], b[i], 1e-6f, "position " + i / v + " saw the future");
      boolean changed = false;
      for (int i = 3 * v; i < 4 * v; i++) changed |= Math.abs(a[i] - b[i]) > 1e-6f;
      assertTrue(changed, "position 3 must depend on token 3");
    }
  }

  @Test
  void saveAndLoadGiveIdenticalLogits(@TempDir Path dir) throws Exception {
    try (NDManager m = manager.newSubManager(); GptNeoXModel model = GptNeoXModel.create(m, tiny(HeadSpec.SOFTMAX), 3)) {
      model.save(dir, Map.of());
      NDArray tokens = m.create(new int[] {3, 1, 4, 1, 5, 9, 2, 6}, new Shape(2, 4));
      float[] expected = model.forward(tokens, false).logits().toFloatArray();
      try (GptNeoXModel back = GptNeoXModel.load(m, dir)) {
        assertEquals(model.config(), back.config());
        assertArrayEquals(expected, back.forward(tokens, false).logits().toFloatArray());
      }
    }
  }

  @Test
  void loadRejectsWrongShapesAndUnknownNames() {
    GptNeoXConfig c = tiny(HeadSpec.SOFTMAX);
    try (NDManager m = manager.newSubManager(); GptNeoXModel model = GptNeoXModel.create(m, c, 3)) {
      Map<String, Object> t = new HashMap<>();
      for (Tensor x : model.toTensors()) t.put(x.name(), x);
      t.put("gpt_neox.layers.0.attention.rotary_emb.inv_freq", new float[2]); // HF buffer: ignored
      model.load(t);
      t.put("gpt_neox.layers.9.mlp.dense_h_to_4h.weight", new float[1]);
      assertThrows(IllegalArgumentException.class, () -> model.load(t));
      t.remove("gpt_neox.layers.9.mlp.dense_h_to_4h.weight");
      t.put("embed_out.weight", Tensor.ofFloats("embed_out.weight", new long[] {1, 64}, new float[64]));
      assertThrows(IllegalArgumentException.class, () -> model.load(t));
    }
  }
}
