package saturn.ingest.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import saturn.artifact.Hashing;

/**
 * A HuggingFace tokenizer for whole corpora: never truncates, adds no special tokens, and may be called from several
 * threads at once (the native tokenizer is immutable; each call owns its encoding handle).
 *
 * <p>Resolved from {@code gpt2} (built in, offline), a {@code tokenizer.json} file, a directory holding one, or a
 * Hugging Face hub id such as {@code EleutherAI/pythia-70m} (downloaded once into the user's cache).
 */
public final class CorpusTokenizer implements AutoCloseable {
  /** End-of-text tokens we recognise, in order of preference. */
  private static final List<String> EOT_CANDIDATES = List.of("<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>", "[SEP]");

  private final String name;
  private final Path file;
  private final String sha256;
  private final int vocabSize;
  private final int eotToken;
  private final String eotContent;
  private final BitSet unknownIds;
  private final HuggingFaceTokenizer tokenizer;
  private final long handle;

  private CorpusTokenizer(String name, Path file) throws IOException {
    this.name = name;
    this.file = file;
    this.sha256 = Hashing.sha256(file);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw notATokenizer(file, "not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.path("model").isObject() || !root.path("model").has("vocab")) {
      throw notATokenizer(file, "no \"model\" with a \"vocab\"");
    }
    JsonNode model = root.get("model");
    int maxId = -1;
    Map<String, Integer> ids = new java.util.HashMap<>();
    JsonNode vocab = model.get("vocab");
    if (vocab.isObject()) {
      for (var it = vocab.fields(); it.hasNext(); ) {
        var e = it.next();
        ids.put(e.getKey(), e.getValue().asInt());
        maxId = Math.max(maxId, e.getValue().asInt());
      }
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
      for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i).get(0).asText(), i);
      maxId = vocab.size() - 1;
    }
    for (JsonNode t : root.path("added_tokens")) {
      ids.put(t.path("content").asText(), t.path("id").asInt());
      maxId = Math.max(maxId, t.path("id").asInt());
    }
    if (maxId < 0) throw notATokenizer(file, "empty vocabulary");
    this.vocabSize = maxId + 1;
    int eot = -1;
    String eotName = null;
    for (String c : EOT_CANDIDATES) {
      if (ids.containsKey(c)) {
        eot = ids.get(c);
        eotName = c;
        break;
      }
    }
    this.eotToken = eot;
    this.eotContent = eotName;
    this.unknownIds = new BitSet(vocabSize);
    JsonNode unk = model.get("unk_token");
    if (unk != null && unk.isTextual() && ids.containsKey(unk.asText())) unknownIds.set(ids.get(unk.asText()));
    if (model.path("unk_id").isInt()) unknownIds.set(model.get("unk_id").asInt());
    if (model.path("byte_fallback").asBoolean(false)) {
      for (int b = 0; b < 256; b++) {
        Integer id = ids.get(String.format("<0x%02X>", b));
        if (id != null) unknownIds.set(id);
      }
    }
    try {
      this.tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optTruncation(false)
          .optPadding(false)
          .optAddSpecialTokens(false)
          .build();
    } catch (RuntimeException | IOException e) {
      throw notATokenizer(file, firstLine(String.valueOf(e.getMessage())));
    }
    this.handle = tokenizer.getHandle();
  }

  /**
   * Resolves {@code spec}: {@code gpt2}, a path to a tokenizer.json or a directory with one, or a hub id.
   *
   * @throws IllegalArgumentException with a one-line message saying what to pass instead
   */
  public static CorpusTokenizer resolve(String spec) throws IOException {
    if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--tokenizer is empty; pass gpt2, a tokenizer.json path or a hub id");
    if (spec.equals(Gpt2Builtin.NAME)) return new CorpusTokenizer(Gpt2Builtin.NAME, Gpt2Builtin.tokenizerJson());
    Path p = Path.of(spec);
    if (Files.isDirectory(p)) {
      Path f = p.resolve("tokenizer.json");
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException(p + ": directory has no tokenizer.json; pass the tokenizer.json file, a directory holding one, or gpt2");
      }
      return fromFile(f);
    }
    if (Files.exists(p)) return fromFile(p);
    if (spec.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+") && !spec.endsWith(".json")) return fromHub(spec);
    throw new IllegalArgumentException(spec + ": no such tokenizer file or directory; pass a tokenizer.json path, a directory holding one, a hub id like EleutherAI/pythia-70m, or gpt2");
  }

  public static CorpusTokenizer fromFile(Path file) throws IOException {
    if (!Files.isReadable(file)) throw new IOException(file + ": tokenizer file is not readable; check its permissions");
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": not a file; pass a tokenizer.json");
    Path parent = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString().equals("tokenizer.json") && parent != null && parent.getFileName() != null
        ? parent.getFileName().toString() : file.getFileName().toString();
    return new CorpusTokenizer(name, file);
  }

  /** Downloads {@code tokenizer.json} of a hub model once into the cache; offline, says what to pass instead. */
  static CorpusTokenizer fromHub(String id) throws IOException {
    Path cached = Gpt2Builtin.cacheDir().resolve("tokenizers").resolve("hub").resolve(id.replace("/", "--")).resolve("tokenizer.json");
    if (!Files.isRegularFile(cached)) {
      String url = "https://huggingface.co/" + id + "/resolve/main/tokenizer.json";
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
      String token = System.getenv("HF_TOKEN");
      if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
      HttpResponse<InputStream> resp;
      try {
        resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot reach the Hugging Face hub for tokenizer '" + id
            + "' (offline?); pass a tokenizer.json path or --tokenizer gpt2");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading tokenizer " + id, e);
      }
      try (InputStream body = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new IllegalArgumentException("hub tokenizer '" + id + "': HTTP " + resp.statusCode() + " for " + url
              + (resp.statusCode() == 401 || resp.statusCode() == 403 ? " (gated: set HF_TOKEN)" : "")
              + "; pass a tokenizer.json path or --tokenizer gpt2");
        }
        Files.createDirectories(cached.getParent());
        Path tmp = Files.createTempFile(cached.getParent(), "tokenizer", ".tmp");
        try {
          Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
          Gpt2Builtin.readableByAll(tmp);
          Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }
    return new CorpusTokenizer(id, cached);
  }

  private static IllegalArgumentException notATokenizer(Path file, String why) {
    return new IllegalArgumentException(file + ": not a HuggingFace tokenizer.json (" + why
        + "); pass a tokenizer.json file, a directory holding one, or --tokenizer gpt2");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Token ids of {@code text}, without special tokens and without truncation. Thread-safe. */
  public int[] encode(String text) {
    if (text.isEmpty()) return new int[0];
    long enc = TokenizersLibrary.LIB.encode(handle, text, false);
    try {
      long[] ids = TokenizersLibrary.LIB.getTokenIds(enc);
      int[] out = new int[ids.length];
      for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
      return out;
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(enc);
    }
  }

  /** What the user asked for ({@code gpt2}, a hub id, or the tokenizer's directory or file name). */
  public String name() {
    return name;
  }

  /** The tokenizer.json this tokenizer was loaded from (copied into every token artifact). */
  public Path file() {
    return file;
  }

  public String sha256() {
    return sha256;
  }

  /** One more than the largest id (model vocabulary and added tokens). */
  public int vocabSize() {
    return vocabSize;
  }

  /** The id placed before each document, or -1 when the tokenizer has no end-of-text token. */
  public int eotToken() {
    return eotToken;
  }

  public String eotContent() {
    return eotContent;
  }

  /** Whether {@code id} is the unknown token or a byte-fallback token ({@code <0xNN>}). */
  public boolean isUnknownOrByteFallback(int id) {
    return id >= 0 && id < vocabSize && unknownIds.get(id);
  }

  public boolean hasUnknownOrByteFallback() {
    return !unknownIds.isEmpty();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
