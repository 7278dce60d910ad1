package saturn.lmhead;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import saturn.artifact.Json;
import saturn.lmhead.format.SafetensorsReader;
import saturn.lmhead.format.SafetensorsWriter;
import saturn.lmhead.format.Tensor;

/**
 * A GPT-NeoX decoder (Pythia's architecture) written on DJL's NDArray API: token embedding, rotary embedding on the
 * first {@code rotaryDims} of each head (rotate-half convention), parallel attention + MLP residual, LayerNorm, exact
 * GELU MLP, causal attention, untied output head.
 *
 * <p>Parameter names, shapes and layouts are exactly HF's {@code GPTNeoXForCausalLM} ({@code gpt_neox.embed_in.weight},
 * {@code gpt_neox.layers.{i}.attention.query_key_value.weight} [3d, d] with the per-head interleaved q|k|v layout,
 * ..., {@code embed_out.weight} [V, d]), so a Pythia {@code model.safetensors} loads with {@link #load(Map)}. A
 * low-rank head replaces {@code embed_out.weight} by {@code embed_out.down.weight} [R, d] and
 * {@code embed_out.up.weight} [V, R].
 *
 * <p>Parameters live in the model's own {@link NDManager} (closed with the model) and have gradients attached; forward
 * passes create their intermediates in the caller's manager or scope.
 */
public final class GptNeoXModel implements AutoCloseable {
  /** HF checkpoints may hold these non-parameter buffers; they are recomputed here, so loading skips them. */
  private static final List<String> IGNORED_BUFFERS = List.of(".attention.bias", ".attention.masked_bias",
      ".rotary_emb.inv_freq");

  private final GptNeoXConfig config;
  private final NDManager manager;
  private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
  private final Map<Integer, NDArray[]> positionCache = new HashMap<>();

  private GptNeoXModel(NDManager parent, GptNeoXConfig config) {
    this.config = config;
    this.manager = parent.newSubManager();
    this.manager.setName("gpt-neox-parameters");
  }

  /** A freshly initialised model (GPT-NeoX's small_init / wang_init), reproducible from {@code seed}. */
  public static GptNeoXModel create(NDManager parent, GptNeoXConfig config, long seed) {
    GptNeoXModel m = new GptNeoXModel(parent, config);
    SplittableRandom rnd = new SplittableRandom(seed);
    double d = config.hiddenSize();
    double small = Math.sqrt(2.0 / (5.0 * d)); // GPT-NeoX small_init
    double wang = 2.0 / (config.numLayers() * Math.sqrt(d)); // GPT-NeoX wang_init, for residual outputs
    for (Map.Entry<String, long[]> e : shapes(config).entrySet()) {
      String n = e.getKey();
      long[] shape = e.getValue();
      float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
      if (n.endsWith("layernorm.weight") || n.endsWith("final_layer_norm.weight")) {
        Arrays.fill(v, 1f);
      } else if (n.endsWith(".bias")) {
        // zeros
      } else {
        double std = n.endsWith("attention.dense.weight") || n.endsWith("mlp.dense_4h_to_h.weight") ? wang : small;
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
      }
      m.params.put(n, m.newParameter(v, shape));
    }
    return m;
  }

  /** A model whose parameters are set from named tensors (see {@link #load(Map)}). */
  public static GptNeoXModel fromTensors(NDManager parent, GptNeoXConfig config, Map<String, ?> tensors) {
    GptNeoXModel m = new GptNeoXModel(parent, config);
    for (Map.Entry<String, long[]> e : shapes(config).entrySet()) {
      m.params.put(e.getKey(), m.newParameter(new float[Math.toIntExact(Tensor.numel(e.getValue()))], e.getValue()));
    }
    m.load(tensors);
    return m;
  }

  /** Reads {@code config.json} and {@code model.safetensors} from a checkpoint directory (saturn's or HF's). */
  public static GptNeoXModel load(NDManager parent, Path dir) throws IOException {
    GptNeoXConfig c = GptNeoXConfig.fromHfConfig(dir.resolve(Checkpoints.CONFIG_FILE));
    SafetensorsReader r = SafetensorsReader.open(dir.resolve(Checkpoints.MODEL_FILE));
    try {
      return fromTensors(parent, c, r.tensors());
    } catch (IllegalArgumentException e) {
      throw new saturn.artifact.CorruptArtifactException(r.file(), e.getMessage());
    }
  }

  /** Parameter names and shapes in HF order. */
  public static LinkedHashMap<String, long[]> shapes(GptNeoXConfig c) {
    long d = c.hiddenSize();
    long f = c.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put("gpt_neox.embed_in.weight", new long[] {c.vocabSize(), d});
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "gpt_neox.layers." + i + ".";
      s.put(p + "input_layernorm.weight", new long[] {d});
      s.put(p + "input_layernorm.bias", new long[] {d});
      s.put(p + "post_attention_layernorm.weight", new long[] {d});
      s.put(p + "post_attention_layernorm.bias", new long[] {d});
      s.put(p + "attention.query_key_value.weight", new long[] {3 * d, d});
      s.put(p + "attention.query_key_value.bias", new long[] {3 * d});
      s.put(p + "attention.dense.weight", new long[] {d, d});
      s.put(p + "attention.dense.bias", new long[] {d});
      s.put(p + "mlp.dense_h_to_4h.weight", new long[] {f, d});
      s.put(p + "mlp.dense_h_to_4h.bias", new long[] {f});
      s.put(p + "mlp.dense_4h_to_h.weight", new long[] {d, f});
      s.put(p + "mlp.dense_4h_to_h.bias", new long[] {d});
    }
    s.put("gpt_neox.final_layer_norm.weight", new long[] {d});
    s.put("gpt_neox.final_layer_norm.bias", new long[] {d});
    if (c.head().lowRank()) {
      s.put("embed_out.down.weight", new long[] {c.head().rank(), d});
      s.put("embed_out.up.weight", new long[] {c.vocabSize(), c.head().rank()});
    } else {
      s.put("embed_out.weight", new long[] {c.vocabSize(), d});
    }
    return s;
  }

  private NDArray newParameter(float[] values, long[] shape) {
    NDArray a = manager.create(values, new Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  /**
   * Overwrites parameters from named tensors: values may be {@code float[]}, {@link NDArray} or {@link Tensor}
   * (F32/F16/BF16/F64). Every parameter must be present with its exact shape (where the shape is known); unknown
   * names are an error except HF's recomputed buffers (attention masks, rotary inv_freq).
   */
  public void load(Map<String, ?> tensors) {
    List<String> unknown = new ArrayList<>();
    for (String n : tensors.keySet()) {
      if (!params.containsKey(n) && IGNORED_BUFFERS.stream().noneMatch(n::endsWith)) unknown.add(n);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("tensors not in this model: " + unknown.subList(0, Math.min(5, unknown.size()))
          + (unknown.size() > 5 ? " and " + (unknown.size() - 5) + " more" : "") + "; check the config (head, layers)");
    }
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      Object v = tensors.get(e.getKey());
      if (v == null) throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
      NDArray p = e.getValue();
      float[] values;
      if (v instanceof float[] fa) {
        values = fa;
      } else if (v instanceof Tensor t) {
        if (!Arrays.equals(t.shape(), p.getShape().getShape())) {
          throw new IllegalArgumentException(e.getKey() + ": shape " + Arrays.toString(t.shape()) + " but the model needs "
              + p.getShape());
        }
        values = t.toFloatArray();
      } else if (v instanceof NDArray a) {
        if (!a.getShape().equals(p.getShape())) {
          throw new IllegalArgumentException(e.getKey() + ": shape " + a.getShape() + " but the model needs " + p.getShape());
        }
        values = a.toType(DataType.FLOAT32, false).toFloatArray();
      } else {
        throw new IllegalArgumentException(e.getKey() + ": unsupported value type " + v.getClass().getSimpleName());
      }
      if (values.length != p.getShape().size()) {
        throw new IllegalArgumentException(e.getKey() + ": " + values.length + " values but the model needs " + p.getShape());
      }
      p.set(values);
    }
  }

  public GptNeoXConfig config() {
    return config;
  }

  /** Parameters by HF name, in HF order (live arrays: the optimizer updates them in place). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  public NDArray parameter(String name) {
    NDArray p = params.get(name);
    if (p == null) throw new IllegalArgumentException("no parameter '" + name + "'");
    return p;
  }

  public NDManager manager() {
    return manager;
  }

  /** The output of {@link #forward}: logits [B, T, V] and, when asked, HF's hidden states (L + 1 of [B, T, d]). */
  public record Output(NDArray logits, NDArray lastHidden, List<NDArray> hiddenStates) {}

  /**
   * Forward pass over token ids [B, T] (int32 or int64). Hidden states follow HF's {@code output_hidden_states}: the
   * embeddings, the outputs of layers 0..L-2, then the final-LayerNorm output of the last layer (L + 1 entries).
   */
  public Output forward(NDArray tokens, boolean withHiddenStates) {
    List<NDArray> states = withHiddenStates ? new ArrayList<>() : null;
    NDArray h = hidden(tokens, states);
    return new Output(logits(h), h, states == null ? List.of() : states);
  }

  /** Final-LayerNorm hidden states [B, T, d]; fills {@code states} (if not null) as {@link #forward} describes. */
  public NDArray hidden(NDArray tokens, List<NDArray> states) {
    long[] bt = tokens.getShape().getShape();
    if (bt.length != 2) throw new IllegalArgumentException("tokens must be [batch, time], got " + tokens.getShape());
    int t = (int) bt[1];
    if (t > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("sequence of " + t + " exceeds max_position_embeddings " + config.maxPositionEmbeddings());
    }
    NDArray ids = tokens.getDataType() == DataType.INT64 ? tokens : tokens.toType(DataType.INT64, false);
    NDArrayEx ex = ids.getNDArrayInternal();
    NDArray x = ex.embedding(ids, params.get("gpt_neox.embed_in.weight"), SparseFormat.DENSE).singletonOrThrow();
    NDArray[] pos = positions(t);
    for (int i = 0; i < config.numLayers(); i++) {
      if (states != null) states.add(x);
      x = layer(i, x, pos);
    }
    NDArray out = layerNorm(x, "gpt_neox.final_layer_norm");
    if (states != null) states.add(out);
    return out;
  }

  /** Logits [.., V] from final hidden states [.., d]. */
  public NDArray logits(NDArray hidden) {
    if (config.head().lowRank()) {
      return linear(linear(hidden, params.get("embed_out.down.weight"), null), params.get("embed_out.up.weight"), null);
    }
    return linear(hidden, params.get("embed_out.weight"), null);
  }

  private NDArray layer(int i, NDArray x, NDArray[] pos) {
    String p = "gpt_neox.layers." + i + ".";
    NDArray attn = attention(p, layerNorm(x, p + "input_layernorm"), pos);
    if (config.useParallelResidual()) {
      NDArray mlp = mlp(p, layerNorm(x, p + "post_attention_layernorm"));
      return x.add(attn).add(mlp);
    }
    NDArray y = x.add(attn);
    return y.add(mlp(p, layerNorm(y, p + "post_attention_layernorm")));
  }

  private NDArray attention(String p, NDArray x, NDArray[] pos) {
    long[] s = x.getShape().getShape();
    long b = s[0];
    long t = s[1];
    int heads = config.numHeads();
    int hs = config.headSize();
    NDArray qkv = linear(x, params.get(p + "attention.query_key_value.weight"), params.get(p + "attention.query_key_value.bias"))
        .reshape(b, t, heads, 3L * hs);
    // HF layout: per head, [q | k | v] of head_size each
    NDArray q = qkv.get(new NDIndex("..., 0:" + hs)).transpose(0, 2, 1, 3);
    NDArray k = qkv.get(new NDIndex("..., " + hs + ":" + (2 * hs))).transpose(0, 2, 1, 3);
    NDArray v = qkv.get(new NDIndex("..., " + (2 * hs) + ":")).transpose(0, 2, 1, 3);
    if (config.rotaryDims() > 0) {
      q = rotary(q, pos);
      k = rotary(k, pos);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(hs)).add(pos[2]);
    NDArray ctx = scores.softmax(-1).matMul(v); // [B, H, T, hs]
    NDArray merged = ctx.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hs);
    return linear(merged, params.get(p + "attention.dense.weight"), params.get(p + "attention.dense.bias"));
  }

  /** GPT-NeoX rotate-half rotary embedding on the first rotaryDims of each head. */
  private NDArray rotary(NDArray x, NDArray[] pos) {
    int rot = config.rotaryDims();
    int hs = config.headSize();
    int half = rot / 2;
    NDArray xr = rot == hs ? x : x.get(new NDIndex("..., 0:" + rot));
    NDArray x1 = xr.get(new NDIndex("..., 0:" + half));
    NDArray x2 = xr.get(new NDIndex("..., " + half + ":"));
    NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
    NDArray emb = xr.mul(pos[0]).add(rotated.mul(pos[1]));
    if (rot == hs) return emb;
    return NDArrays.concat(new NDList(emb, x.get(new NDIndex("..., " + rot + ":"))), -1);
  }

  private NDArray mlp(String p, NDArray x) {
    NDArray up = linear(x, params.get(p + "mlp.dense_h_to_4h.weight"), params.get(p + "mlp.dense_h_to_4h.bias"));
    NDArray act = up.getNDArrayInternal().gelu();
    return linear(act, params.get(p + "mlp.dense_4h_to_h.weight"), params.get(p + "mlp.dense_4h_to_h.bias"));
  }

  private NDArray layerNorm(NDArray x, String prefix) {
    return x.getNDArrayInternal().layerNorm(x, new Shape(config.hiddenSize()), params.get(prefix + ".weight"),
        params.get(prefix + ".bias"), (float) config.layerNormEps()).singletonOrThrow();
  }

  private static NDArray linear(NDArray x, NDArray w, NDArray bias) {
    return x.getNDArrayInternal().linear(x, w, bias).singletonOrThrow();
  }

  /** cos [T, rot], sin [T, rot], causal mask [T, T]; cached per length in the parameter manager. */
  private synchronized NDArray[] positions(int t) {
    return positionCache.computeIfAbsent(t, (Function<Integer, NDArray[]>) len -> {
      int rot = Math.max(config.rotaryDims(), 2);
      int half = rot / 2;
      float[] cos = new float[len * rot];
      float[] sin = new float[len * rot];
      for (int j = 0; j < half; j++) {
        // float32 arithmetic as HF: inv_freq = 1 / base^(2j/rot), freqs = t * inv_freq
        float invFreq = (float) (1.0 / Math.pow(config.rotaryEmbBase(), (float) (2 * j) / rot));
        for (int i = 0; i < len; i++) {
          float f = i * invFreq;
          float c = (float) Math.cos(f);
          float s = (float) Math.sin(f);
          cos[i * rot + j] = c;
          cos[i * rot + j + half] = c;
          sin[i * rot + j] = s;
          sin[i * rot + j + half] = s;
        }
      }
      float[] mask = new float[len * len];
      for (int i = 0; i < len; i++) {
        for (int j = i + 1; j < len; j++) mask[i * len + j] = Float.NEGATIVE_INFINITY;
      }
      NDArray[] cached = {
        manager.create(cos, new Shape(len, rot)), manager.create(sin, new Shape(len, rot)),
        manager.create(mask, new Shape(len, len))
      };
      NDScope.unregister(cached); // cached for the model's life, even when first built inside a caller's scope
      return cached;
    });
  }

  /** Parameters as safetensors tensors (float32, HF names). */
  public List<Tensor> toTensors() {
    List<Tensor> out = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      out.add(Tensor.ofFloats(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
    }
    return out;
  }

  /** Writes {@code model.safetensors} and {@code config.json} into {@code dir}. */
  public void save(Path dir, Map<String, String> metadata) throws IOException {
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve(Checkpoints.MODEL_FILE), metadata, toTensors());
    Files.writeString(dir.resolve(Checkpoints.CONFIG_FILE), Json.pretty(config.toHfJson()));
  }

  /** Sum of squares of all parameters, as a Java double (exact order: parameter order). */
  public double weightNorm() {
    double s = 0;
    for (NDArray p : params.values()) {
      try (NDArray sq = p.toType(DataType.FLOAT64, true); NDArray ss = sq.muli(sq).sum()) {
        s += ss.getDouble();
      }
    }
    return Math.sqrt(s);
  }

  @Override
  public void close() {
    manager.close();
  }
}
