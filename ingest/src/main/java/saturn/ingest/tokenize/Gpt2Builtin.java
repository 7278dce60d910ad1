package saturn.ingest.tokenize;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@code gpt2} tokenizer: OpenAI's GPT-2 ranks as shipped in jtokkit ({@code r50k_base.tiktoken}),
 * converted to a standard HuggingFace {@code tokenizer.json} (byte-level BPE, {@code <|endoftext|>} = 50256).
 *
 * <p>Merges are rebuilt from the ranks: for each multi-byte token, run rank-ordered BPE on its bytes using only ranks
 * below its own; the two parts left at the end are the merge that created it. That gives exactly one merge per token,
 * in rank order, which is what GPT-2's {@code vocab.bpe} is.
 */
public final class Gpt2Builtin {
  public static final String NAME = "gpt2";
  public static final int EOT_ID = 50256;
  public static final String EOT = "<|endoftext|>";
  private static final String RANKS_RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";
  /** Bump when the generated file changes, so cached copies are regenerated. */
  private static final String CACHE_VERSION = "v1";

  private Gpt2Builtin() {}

  /** The tokenizer.json, generated into the user's cache directory on first use. */
  public static Path tokenizerJson() throws IOException {
    Path dir = cacheDir().resolve("tokenizers").resolve("gpt2-" + CACHE_VERSION);
    Path file = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(file) && Files.size(file) > 0) return file;
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "tokenizer", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(out);
      }
      readableByAll(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  /** Temporary files are created owner-only; a cached tokenizer (and its copies in artifacts) should be rw-r--r--. */
  public static void readableByAll(Path file) {
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system: its defaults apply
    }
  }

  /** {@code $XDG_CACHE_HOME/saturn}, else {@code ~/.cache/saturn}. */
  public static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("saturn");
  }

  /** Token bytes by rank, read from the jtokkit jar. */
  static byte[][] ranks() throws IOException {
    List<byte[]> tokens = new ArrayList<>();
    try (InputStream in = Gpt2Builtin.class.getResourceAsStream(RANKS_RESOURCE)) {
      if (in == null) throw new IOException(RANKS_RESOURCE + " missing from the class path (jtokkit jar); rebuild saturn");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) continue;
        int sp = line.indexOf(' ');
        int rank = Integer.parseInt(line.substring(sp + 1).trim());
        if (rank != tokens.size()) throw new IOException(RANKS_RESOURCE + ": ranks not dense at " + rank);
        tokens.add(Base64.getDecoder().decode(line.substring(0, sp)));
      }
    }
    return tokens.toArray(new byte[0][]);
  }

  /** Writes the tokenizer.json (vocabulary in id order, merges in rank order). */
  static void write(OutputStream out) throws IOException {
    byte[][] tokens = ranks();
    Map<String, Integer> rankOf = new HashMap<>(tokens.length * 2);
    for (int i = 0; i < tokens.length; i++) rankOf.put(key(tokens[i]), i);
    String[] byteChar = bytesToUnicode();
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.useDefaultPrettyPrinter();
    g.writeStartObject();
    g.writeStringField("version", "1.0");
    g.writeNullField("truncation");
    g.writeNullField("padding");
    g.writeArrayFieldStart("added_tokens");
    g.writeStartObject();
    g.writeNumberField("id", EOT_ID);
    g.writeStringField("content", EOT);
    g.writeBooleanField("single_word", false);
    g.writeBooleanField("lstrip", false);
    g.writeBooleanField("rstrip", false);
    g.writeBooleanField("normalized", false);
    g.writeBooleanField("special", true);
    g.writeEndObject();
    g.writeEndArray();
    g.writeNullField("normalizer");
    byteLevel(g, "pre_tokenizer", false, true);
    byteLevel(g, "post_processor", true, false);
    byteLevel(g, "decoder", true, true);
    g.writeObjectFieldStart("model");
    g.writeStringField("type", "BPE");
    g.writeNullField("dropout");
    g.writeNullField("unk_token");
    g.writeStringField("continuing_subword_prefix", "");
    g.writeStringField("end_of_word_suffix", "");
    g.writeBooleanField("fuse_unk", false);
    g.writeBooleanField("byte_fallback", false);
    g.writeObjectFieldStart("vocab");
    for (int i = 0; i < tokens.length; i++) g.writeNumberField(visible(tokens[i], byteChar), i);
    g.writeNumberField(EOT, EOT_ID);
    g.writeEndObject();
    g.writeArrayFieldStart("merges");
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].length < 2) continue;
      byte[][] pair = lastMerge(tokens[i], i, rankOf);
      g.writeString(visible(pair[0], byteChar) + " " + visible(pair[1], byteChar));
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
  }

  private static void byteLevel(JsonGenerator g, String field, boolean addPrefixSpace, boolean trimOffsets)
      throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("type", "ByteLevel");
    g.writeBooleanField("add_prefix_space", addPrefixSpace);
    g.writeBooleanField("trim_offsets", trimOffsets);
    g.writeBooleanField("use_regex", true);
    g.writeEndObject();
  }

  /** BPE on {@code token}'s bytes with ranks below {@code rank}; returns the final two parts. */
  static byte[][] lastMerge(byte[] token, int rank, Map<String, Integer> rankOf) throws IOException {
    List<byte[]> parts = new ArrayList<>();
    for (byte b : token) parts.add(new byte[] {b});
    while (parts.size() > 2) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer r = rankOf.get(key(concat(parts.get(i), parts.get(i + 1))));
        if (r != null && r < rank && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) throw new IOException("r50k_base rank " + rank + " cannot be built by merges; the jtokkit data is not BPE ranks");
      parts.set(best, concat(parts.get(best), parts.get(best + 1)));
      parts.remove(best + 1);
    }
    return new byte[][] {parts.get(0), parts.get(1)};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static String key(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static String visible(byte[] b, String[] byteChar) {
    StringBuilder sb = new StringBuilder(b.length);
    for (byte x : b) sb.append(byteChar[x & 0xff]);
    return sb.toString();
  }

  /** GPT-2's reversible byte → printable character table (bytes_to_unicode in openai/gpt-2 encoder.py). */
  static String[] bytesToUnicode() {
    String[] table = new String[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
    }
    return table;
  }
}
