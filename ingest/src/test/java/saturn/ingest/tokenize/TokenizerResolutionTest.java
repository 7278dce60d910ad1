package saturn.ingest.tokenize;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerResolutionTest {
  @TempDir Path tmp;

  @Test
  void hubIdDownloadsWhenOnlineAndSaysWhatToPassWhenOffline() throws Exception {
    try (CorpusTokenizer t = CorpusTokenizer.resolve("EleutherAI/pythia-70m")) {
      assertEquals(0, t.eotToken(), "pythia's <|endoftext|> is 0");
      assertTrue(t.vocabSize() >= 50277);
    } catch (IllegalArgumentException offline) {
      assertEquals("cannot reach the Hugging Face hub for tokenizer 'EleutherAI/pythia-70m' (offline?); pass a tokenizer.json path or --tokenizer gpt2",
          offline.getMessage());
    }
  }

  @Test
  void pathsThatAreNotTokenizersAreNamed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("nodir"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorpusTokenizer.resolve(dir.toString()));
    assertTrue(e.getMessage().startsWith(dir + ": directory has no tokenizer.json;"), e.getMessage());
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> CorpusTokenizer.resolve("no/such/file.json"));
    assertTrue(m.getMessage().startsWith("no/such/file.json: no such tokenizer file"), m.getMessage());
    Path fake = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"x\"]}}");
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> CorpusTokenizer.resolve(fake.toString()));
    assertTrue(f.getMessage().startsWith(fake + ": not a HuggingFace tokenizer.json ("), f.getMessage());
  }

  @Test
  void byteFallbackTokensAreCountedForLlama() throws Exception {
    Path llama = Gpt2BuiltinTest.shared().resolve("tokenizers/llama2");
    try (CorpusTokenizer t = CorpusTokenizer.resolve(llama.toString())) {
      assertEquals(32000, t.vocabSize());
      assertEquals(2, t.eotToken(), "</s>");
      int[] ids = t.encode("Hello world! The quick brown fox jumps over the lazy dog, isn't it?");
      assertArrayEquals(new int[] {15043, 3186, 29991, 450, 4996, 17354, 1701, 29916, 432, 17204, 975, 278, 17366, 11203,
          29892, 3508, 29915, 29873, 372, 29973}, ids);
      long fallback = java.util.Arrays.stream(t.encode("hieroglyph \uD80C\uDC00")).filter(t::isUnknownOrByteFallback).count();
      assertEquals(4, fallback, "U+13000 is 4 UTF-8 bytes, each a <0xNN> token");
    }
  }
}
