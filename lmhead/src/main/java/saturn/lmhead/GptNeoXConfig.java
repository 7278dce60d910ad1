package saturn.lmhead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import saturn.artifact.Json;

/**
 * Shape of a GPT-NeoX decoder (Pythia's family). Field meanings follow HF's {@code GPTNeoXConfig}; {@link #toHfJson}
 * and {@link #fromHfJson} read and write HF's {@code config.json} keys, plus a {@code saturn} block for the head.
 *
 * @param vocabSize rows of the embedding and head (padded, as Pythia pads 50,277 → 50,304)
 * @param realVocabSize the tokenizer's vocabulary; rows at and above it are padding
 * @param hiddenSize d_model
 * @param numLayers decoder layers
 * @param numHeads attention heads
 * @param intermediateSize MLP width (4 d in Pythia)
 * @param rotaryPct fraction of each head's dims that get rotary embeddings (0.25 in Pythia)
 * @param rotaryEmbBase rotary base (10000)
 * @param maxPositionEmbeddings longest sequence
 * @param layerNormEps LayerNorm epsilon
 * @param useParallelResidual x + attn(ln1 x) + mlp(ln2 x) when true, sequential otherwise
 * @param head the output head
 */
public record GptNeoXConfig(int vocabSize, int realVocabSize, int hiddenSize, int numLayers, int numHeads,
    int intermediateSize, double rotaryPct, int rotaryEmbBase, int maxPositionEmbeddings, double layerNormEps,
    boolean useParallelResidual, HeadSpec head) {

  /** Pythia pads the vocabulary to a multiple of 128. */
  public static final int VOCAB_PAD_MULTIPLE = 128;

  public GptNeoXConfig {
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + numHeads + " heads");
    }
    if (realVocabSize > vocabSize || realVocabSize < 1) {
      throw new IllegalArgumentException("real vocabulary " + realVocabSize + " must be in [1, " + vocabSize + "]");
    }
    if (rotaryPct < 0 || rotaryPct > 1) throw new IllegalArgumentException("rotary fraction must be in [0, 1]: " + rotaryPct);
    int rot = (int) (hiddenSize / numHeads * rotaryPct); // fields are not assigned yet in a compact constructor
    if (rot % 2 != 0) throw new IllegalArgumentException("rotary dims " + rot + " must be even");
    if (head == null) head = HeadSpec.SOFTMAX;
  }

  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** As HF computes it: int(head_size * rotary_pct). */
  public int rotaryDims() {
    return (int) (hiddenSize / numHeads * rotaryPct);
  }

  public int paddedRows() {
    return vocabSize - realVocabSize;
  }

  public static int padVocab(int vocab) {
    return (vocab + VOCAB_PAD_MULTIPLE - 1) / VOCAB_PAD_MULTIPLE * VOCAB_PAD_MULTIPLE;
  }

  public GptNeoXConfig withHead(HeadSpec h) {
    return new GptNeoXConfig(vocabSize, realVocabSize, hiddenSize, numLayers, numHeads, intermediateSize, rotaryPct,
        rotaryEmbBase, maxPositionEmbeddings, layerNormEps, useParallelResidual, h);
  }

  /**
   * A preset by name: {@code tiny}, {@code pythia-14m}, {@code pythia-31m}, {@code pythia-70m}, {@code pythia-160m},
   * with the vocabulary padded to a multiple of 128.
   */
  public static GptNeoXConfig preset(String name, int tokenizerVocab, int maxSeqLen, HeadSpec head) {
    int[] s = switch (name.toLowerCase(Locale.ROOT)) {
      case "tiny" -> new int[] {2, 64, 4};
      case "pythia-14m" -> new int[] {6, 128, 4};
      case "pythia-31m" -> new int[] {6, 256, 8};
      case "pythia-70m" -> new int[] {6, 512, 8};
      case "pythia-160m" -> new int[] {12, 768, 12};
      default -> throw new IllegalArgumentException("unknown preset '" + name
          + "'; use tiny, pythia-14m, pythia-31m, pythia-70m or pythia-160m");
    };
    return new GptNeoXConfig(padVocab(tokenizerVocab), tokenizerVocab, s[1], s[0], s[2], 4 * s[1], 0.25, 10000,
        Math.max(maxSeqLen, 2048), 1e-5, true, head);
  }

  /** HF {@code config.json} content (GPT-NeoX keys) plus saturn's head under {@code "saturn"}. */
  public ObjectNode toHfJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.putArray("architectures").add("GPTNeoXForCausalLM");
    o.put("model_type", "gpt_neox");
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hiddenSize);
    o.put("num_hidden_layers", numLayers);
    o.put("num_attention_heads", numHeads);
    o.put("intermediate_size", intermediateSize);
    o.put("rotary_pct", rotaryPct);
    o.put("rotary_emb_base", rotaryEmbBase);
    o.put("max_position_embeddings", maxPositionEmbeddings);
    o.put("layer_norm_eps", layerNormEps);
    o.put("use_parallel_residual", useParallelResidual);
    o.put("hidden_act", "gelu");
    o.put("tie_word_embeddings", false);
    o.put("attention_bias", true);
    o.put("torch_dtype", "float32");
    ObjectNode s = o.putObject("saturn");
    s.put("head", head.label());
    s.put("head_loss", head.loss().name().toLowerCase(Locale.ROOT));
    s.put("head_rank", head.rank());
    s.put("stablemax_float64", head.stableMaxFloat64());
    s.put("real_vocab_size", realVocabSize);
    s.put("padded_vocab_rows", paddedRows());
    return o;
  }

  /**
   * Reads an HF GPT-NeoX {@code config.json} (a real Pythia one or one saturn wrote). Without a {@code saturn} block
   * the head is a full softmax head and the real vocabulary is {@code vocab_size} (HF does not record it; Pythia's
   * tokenizer has 50,277 — pass it through {@link #withRealVocab} when known).
   */
  public static GptNeoXConfig fromHfJson(JsonNode o) {
    if (!o.hasNonNull("hidden_size") || !o.hasNonNull("num_hidden_layers") || !o.hasNonNull("vocab_size")) {
      throw new IllegalArgumentException("not a GPT-NeoX config.json: needs vocab_size, hidden_size, num_hidden_layers");
    }
    String type = o.path("model_type").asText("gpt_neox");
    if (!type.equals("gpt_neox")) throw new IllegalArgumentException("model_type '" + type + "' is not gpt_neox");
    String act = o.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (only gelu)");
    int d = o.get("hidden_size").asInt();
    int vocab = o.get("vocab_size").asInt();
    JsonNode s = o.path("saturn");
    HeadSpec head = HeadSpec.SOFTMAX;
    int real = vocab;
    if (s.isObject()) {
      head = HeadSpec.parse(s.path("head").asText("softmax"), s.path("stablemax_float64").asBoolean(true));
      real = s.path("real_vocab_size").asInt(vocab);
    }
    return new GptNeoXConfig(vocab, real, d, o.get("num_hidden_layers").asInt(), o.path("num_attention_heads").asInt(),
        o.path("intermediate_size").asInt(4 * d), o.path("rotary_pct").asDouble(0.25),
        o.path("rotary_emb_base").asInt(10000), o.path("max_position_embeddings").asInt(2048),
        o.path("layer_norm_eps").asDouble(1e-5), o.path("use_parallel_residual").asBoolean(true), head);
  }

  public static GptNeoXConfig fromHfConfig(Path configJson) throws IOException {
    try {
      return fromHfJson(Json.MAPPER.readTree(Files.readString(configJson)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
    }
  }

  public GptNeoXConfig withRealVocab(int real) {
    return new GptNeoXConfig(vocabSize, real, hiddenSize, numLayers, numHeads, intermediateSize, rotaryPct,
        rotaryEmbBase, maxPositionEmbeddings, layerNormEps, useParallelResidual, head);
  }

  /** All parameters: the input embedding, the "non-embedding" ones (as Pythia counts them) and the output head. */
  public long parameterCount() {
    return (long) vocabSize * hiddenSize + nonEmbeddingParameterCount() + headParameterCount();
  }

  /** Parameters of the output head: V·d, or R·(d + V) for a low-rank head. */
  public long headParameterCount() {
    return head.lowRank() ? (long) head.rank() * hiddenSize + (long) vocabSize * head.rank() : (long) vocabSize * hiddenSize;
  }

  public long nonEmbeddingParameterCount() {
    long d = hiddenSize;
    long perLayer = 4 * d + (3 * d * d + 3 * d) + (d * d + d) + (d * intermediateSize + intermediateSize)
        + (intermediateSize * d + d);
    return numLayers * perLayer + 2 * d;
  }
}
