package saturn.ingest.tokenize;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class Gpt2BuiltinTest {
  static final String HELLO = "Hello world! The quick brown fox jumps over the lazy dog, isn't it?";
  static final int[] HELLO_IDS = {15496, 995, 0, 383, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 11, 2125, 470, 340, 30};

  static Path shared() {
    String s = System.getProperty("saturn.shared");
    Path p = s == null ? null : Path.of(s);
    Assumptions.assumeTrue(p != null && Files.isDirectory(p.resolve("tokenizers")), "no shared/ directory; skipped");
    return p;
  }

  @Test
  void builtinMatchesPublishedIdsOffline() throws Exception {
    try (CorpusTokenizer t = CorpusTokenizer.resolve("gpt2")) {
      assertArrayEquals(HELLO_IDS, t.encode(HELLO));
      assertEquals(50257, t.vocabSize());
      assertEquals(50256, t.eotToken());
      assertFalse(t.hasUnknownOrByteFallback());
    }
  }

  @Test
  void neverTruncates() throws Exception {
    try (CorpusTokenizer t = CorpusTokenizer.resolve("gpt2")) {
      String longDoc = "the cat sat on the mat. ".repeat(2000);
      int[] ids = t.encode(longDoc);
      assertTrue(ids.length > 10_000, "got " + ids.length + " tokens; the tokenizer truncated");
      assertEquals(7 * 2000 + 1, ids.length, "\"the cat sat on the mat.\" is 7 tokens (the first 8)");
    }
  }

  @Test
  void mergesAndVocabEqualSharedGpt2() throws Exception {
    Path shared = shared();
    ObjectMapper m = new ObjectMapper();
    JsonNode ref = m.readTree(shared.resolve("tokenizers/gpt2/tokenizer.json").toFile()).get("model");
    JsonNode ours = m.readTree(Gpt2Builtin.tokenizerJson().toFile()).get("model");
    assertEquals(ref.get("vocab"), ours.get("vocab"));
    assertEquals(ref.get("merges").size(), ours.get("merges").size());
    for (int i = 0; i < ref.get("merges").size(); i++) {
      JsonNode r = ref.get("merges").get(i);
      String rs = r.isArray() ? r.get(0).asText() + " " + r.get(1).asText() : r.asText();
      assertEquals(rs, ours.get("merges").get(i).asText(), "merge " + i);
    }
  }

  /** Three files (one ISO-8859-1, CRLF ones) in the default run; the whole corpus under the slow tag. */
  @Test
  void idsEqualSharedGpt2OnSampleOfSharedCorpus() throws Exception {
    Path shared = shared();
    compareOnSharedCorpus(shared, List.of("gutenberg/carroll-alice.txt.gz", "gutenberg/blake-poems.txt.gz",
        "gutenberg/shakespeare-macbeth.txt.gz").stream().map(n -> shared.resolve("corpora").resolve(n)).toList(), 50_000);
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void idsEqualSharedGpt2OnWholeSharedCorpus() throws Exception {
    Path shared = shared();
    List<Path> files;
    try (Stream<Path> s = Files.walk(shared.resolve("corpora"))) {
      files = s.filter(p -> p.toString().endsWith(".gz")).sorted().toList();
    }
    compareOnSharedCorpus(shared, files, 2_000_000);
  }

  static void compareOnSharedCorpus(Path shared, List<Path> files, long minTokens) throws Exception {
    assertFalse(files.isEmpty());
    long tokens = 0;
    try (CorpusTokenizer ours = CorpusTokenizer.resolve("gpt2");
         CorpusTokenizer ref = CorpusTokenizer.resolve(shared.resolve("tokenizers/gpt2").toString())) {
      for (Path f : files) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)),
            StandardCharsets.UTF_8))) {
          StringBuilder block = new StringBuilder();
          String line;
          int lineNo = 0;
          while ((line = r.readLine()) != null) {
            block.append(line).append('\n');
            lineNo++;
            if (block.length() > 20_000) {
              int[] a = ours.encode(block.toString());
              assertArrayEquals(ref.encode(block.toString()), a, f + " before line " + lineNo);
              tokens += a.length;
              block.setLength(0);
            }
          }
          int[] a = ours.encode(block.toString());
          assertArrayEquals(ref.encode(block.toString()), a, f + " at the end");
          tokens += a.length;
        }
      }
    }
    assertTrue(tokens > minTokens, "compared only " + tokens + " tokens");
  }
}
