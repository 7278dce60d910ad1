package saturn.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;

/**
 * Test fixtures written without saturn's model code: a randomly initialised GPT-NeoX checkpoint in the Hugging Face
 * layout (config.json + model.safetensors, byte layout written here by hand) and a plain-Java reference forward pass
 * that follows HF's modeling_gpt_neox (parallel residual, rotary on rotary_pct of each head with rotate-half, per-head
 * interleaved q|k|v, exact GELU, untied embed_out).
 */
final class HfCheckpointFixture {
  final int vocab, d, layers, heads, inner, maxPos;
  final double rotaryPct = 0.25, eps = 1e-5;
  final int base = 10000;
  final Map<String, float[]> w = new LinkedHashMap<>();
  final Map<String, long[]> shapes = new LinkedHashMap<>();

  HfCheckpointFixture(int vocab, int d, int layers, int heads, int maxPos, long seed) {
    this.vocab = vocab;
    this.d = d;
    this.layers = layers;
    this.heads = heads;
    this.inner = 4 * d;
    this.maxPos = maxPos;
    SplittableRandom r = new SplittableRandom(seed);
    put("gpt_neox.embed_in.weight", r, 0.5, 0, vocab, d);
    for (int i = 0; i < layers; i++) {
      String p = "gpt_neox.layers." + i + ".";
      put(p + "input_layernorm.weight", r, 0.2, 1, d);
      put(p + "input_layernorm.bias", r, 0.1, 0, d);
      put(p + "post_attention_layernorm.weight", r, 0.2, 1, d);
      put(p + "post_attention_layernorm.bias", r, 0.1, 0, d);
      put(p + "attention.query_key_value.weight", r, 0.3, 0, 3 * d, d);
      put(p + "attention.query_key_value.bias", r, 0.1, 0, 3 * d);
      put(p + "attention.dense.weight", r, 0.2, 0, d, d);
      put(p + "attention.dense.bias", r, 0.1, 0, d);
      put(p + "mlp.dense_h_to_4h.weight", r, 0.2, 0, inner, d);
      put(p + "mlp.dense_h_to_4h.bias", r, 0.1, 0, inner);
      put(p + "mlp.dense_4h_to_h.weight", r, 0.1, 0, d, inner);
      put(p + "mlp.dense_4h_to_h.bias", r, 0.1, 0, d);
    }
    put("gpt_neox.final_layer_norm.weight", r, 0.2, 1, d);
    put("gpt_neox.final_layer_norm.bias", r, 0.1, 0, d);
    put("embed_out.weight", r, 0.5, 0, vocab, d);
  }

  private void put(String name, SplittableRandom r, double sd, double mean, long... shape) {
    long n = 1;
    for (long s : shape) n *= s;
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (float) (mean + sd * r.nextGaussian());
    w.put(name, v);
    shapes.put(name, shape);
  }

  /** config.json with HF's keys only (as a Pythia checkpoint has it) and model.safetensors with HF's names. */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{\n  \"architectures\": [\"GPTNeoXForCausalLM\"],\n  \"model_type\": \"gpt_neox\",\n"
        + "  \"vocab_size\": " + vocab + ",\n  \"hidden_size\": " + d + ",\n  \"num_hidden_layers\": " + layers + ",\n"
        + "  \"num_attention_heads\": " + heads + ",\n  \"intermediate_size\": " + inner + ",\n  \"rotary_pct\": " + rotaryPct + ",\n"
        + "  \"rotary_emb_base\": " + base + ",\n  \"max_position_embeddings\": " + maxPos + ",\n  \"layer_norm_eps\": " + eps + ",\n"
        + "  \"use_parallel_residual\": true,\n  \"hidden_act\": \"gelu\",\n  \"tie_word_embeddings\": false,\n"
        + "  \"torch_dtype\": \"float32\"\n}\n");
    // safetensors: u64 little-endian header length, JSON header, then the raw little-endian tensors back to back
    StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long off = 0;
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      long bytes = 4L * e.getValue().length;
      StringBuilder sh = new StringBuilder();
      for (long s : shapes.get(e.getKey())) sh.append(sh.length() == 0 ? "" : ",").append(s);
      h.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[").append(sh).append("],\"data_offsets\":[")
          .append(off).append(',').append(off + bytes).append("]}");
      off += bytes;
    }
    h.append('}');
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate((int) (8 + header.length + off)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    for (float[] v : w.values()) for (float x : v) buf.putFloat(x);
    Files.write(dir.resolve("model.safetensors"), buf.array());
  }

  // ---- the reference forward pass, in double ----

  /** Logits [T][V] for one sequence. */
  double[][] logits(int[] ids) {
    int t = ids.length;
    double[][] x = new double[t][d];
    for (int i = 0; i < t; i++) for (int k = 0; k < d; k++) x[i][k] = w.get("gpt_neox.embed_in.weight")[ids[i] * d + k];
    for (int l = 0; l < layers; l++) {
      String p = "gpt_neox.layers." + l + ".";
      double[][] attn = attention(p, layerNorm(x, p + "input_layernorm"));
      double[][] mlp = mlp(p, layerNorm(x, p + "post_attention_layernorm"));
      for (int i = 0; i < t; i++) for (int k = 0; k < d; k++) x[i][k] += attn[i][k] + mlp[i][k];
    }
    double[][] h = layerNorm(x, "gpt_neox.final_layer_norm");
    return linear(h, "embed_out.weight", null, vocab, d);
  }

  double[][] layerNorm(double[][] x, String prefix) {
    float[] g = w.get(prefix + ".weight"), b = w.get(prefix + ".bias");
    double[][] out = new double[x.length][d];
    for (int i = 0; i < x.length; i++) {
      double mean = 0, var = 0;
      for (double v : x[i]) mean += v;
      mean /= d;
      for (double v : x[i]) var += (v - mean) * (v - mean);
      var /= d;
      for (int k = 0; k < d; k++) out[i][k] = (x[i][k] - mean) / Math.sqrt(var + eps) * g[k] + b[k];
    }
    return out;
  }

  /** y = x Wᵀ + b with W [out, in] row-major, as torch.nn.Linear. */
  double[][] linear(double[][] x, String wName, String bName, int out, int in) {
    float[] wt = w.get(wName), b = bName == null ? null : w.get(bName);
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b[o];
        for (int k = 0; k < in; k++) s += x[i][k] * wt[o * in + k];
        y[i][o] = s;
      }
    }
    return y;
  }

  double[][] attention(String p, double[][] x) {
    int t = x.length, hs = d / heads, rot = (int) (hs * rotaryPct);
    double[][] qkv = linear(x, p + "attention.query_key_value.weight", p + "attention.query_key_value.bias", 3 * d, d);
    double[][] merged = new double[t][d];
    for (int h = 0; h < heads; h++) {
      double[][] q = new double[t][hs], k = new double[t][hs], v = new double[t][hs];
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < hs; j++) {
          // per head: [q | k | v], each head_size wide (view(T, heads, 3*hs))
          q[i][j] = qkv[i][h * 3 * hs + j];
          k[i][j] = qkv[i][h * 3 * hs + hs + j];
          v[i][j] = qkv[i][h * 3 * hs + 2 * hs + j];
        }
        rotate(q[i], i, rot);
        rotate(k[i], i, rot);
      }
      for (int i = 0; i < t; i++) {
        double[] s = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double dot = 0;
          for (int c = 0; c < hs; c++) dot += q[i][c] * k[j][c];
          s[j] = dot / Math.sqrt(hs);
          max = Math.max(max, s[j]);
        }
        double z = 0;
        for (int j = 0; j <= i; j++) z += (s[j] = Math.exp(s[j] - max));
        for (int c = 0; c < hs; c++) {
          double acc = 0;
          for (int j = 0; j <= i; j++) acc += s[j] / z * v[j][c];
          merged[i][h * hs + c] = acc;
        }
      }
    }
    return linear(merged, p + "attention.dense.weight", p + "attention.dense.bias", d, d);
  }

  /** x[:rot] ← x[:rot]·cos + rotate_half(x[:rot])·sin at position pos; rotate_half(a) = cat(−a2, a1). */
  void rotate(double[] x, int pos, int rot) {
    int half = rot / 2;
    double[] r = new double[rot];
    for (int j = 0; j < rot; j++) {
      double invFreq = 1.0 / Math.pow(base, (2.0 * (j % half)) / rot);
      double f = pos * invFreq;
      double rh = j < half ? -x[j + half] : x[j - half];
      r[j] = x[j] * Math.cos(f) + rh * Math.sin(f);
    }
    System.arraycopy(r, 0, x, 0, rot);
  }

  double[][] mlp(String p, double[][] x) {
    double[][] up = linear(x, p + "mlp.dense_h_to_4h.weight", p + "mlp.dense_h_to_4h.bias", inner, d);
    for (double[] row : up) for (int k = 0; k < row.length; k++) row[k] = 0.5 * row[k] * (1 + erf(row[k] / Math.sqrt(2)));
    return linear(up, p + "mlp.dense_4h_to_h.weight", p + "mlp.dense_4h_to_h.bias", d, inner);
  }

  /** erf by its Maclaurin series (|x| < 3) or continued fraction of erfc; ~1e-13 here. */
  static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 3) {
      double term = x, sum = x;
      for (int n = 1; n < 200; n++) {
        term *= -x * x / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      }
      return 2 / Math.sqrt(Math.PI) * sum;
    }
    // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz-free backward evaluation)
    double f = 0;
    for (int n = 60; n >= 1; n--) f = (n / 2.0) / (ax + f);
    double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    return Math.copySign(1 - erfc, x);
  }

  /** A token artifact with a validation split of random ids below {@code vocab}, in a workspace. */
  static TokenArtifact tokens(Workspace ws, int vocab, int valTokens, String tokenizerSha, long seed) throws IOException {
    return tokens(ws, vocab, valTokens, tokenizerSha, seed, false);
  }

  /** With {@code structured}, the next token is a fixed function of the current one 90% of the time (learnable). */
  static TokenArtifact tokens(Workspace ws, int vocab, int valTokens, String tokenizerSha, long seed, boolean structured) throws IOException {
    ArtifactSpec spec = ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION,
        Map.of("test", seed, "vocab", vocab, "n", valTokens, "structured", structured), List.of());
    Artifact a = ws.obtain(spec, pending -> {
      SplittableRandom r = new SplittableRandom(seed);
      for (String split : List.of(TokenShardFormat.TRAIN, TokenShardFormat.VAL)) {
        try (TokenShardWriter wr = new TokenShardWriter(pending.dir(), split, vocab, 1_000_000)) {
          for (int doc = 0; doc < 4; doc++) {
            wr.beginDocument();
            wr.write(0);
            int cur = 0;
            for (int i = 1; i < valTokens / 4; i++) {
              cur = structured && r.nextInt(10) != 0 ? 1 + (7 * cur + 3) % (vocab - 1) : 1 + r.nextInt(vocab - 1);
              wr.write(cur);
            }
          }
        }
      }
      pending.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, vocab, TokenArtifact.KEY_EOT_TOKEN, 0,
          TokenArtifact.KEY_TOKENIZER_NAME, "test", TokenArtifact.KEY_TOKENIZER_SHA256, tokenizerSha));
    });
    return TokenArtifact.of(a);
  }
}
