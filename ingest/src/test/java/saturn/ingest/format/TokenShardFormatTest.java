package saturn.ingest.format;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import saturn.artifact.CorruptArtifactException;

class TokenShardFormatTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(ints = {50_257, 128_256})
  void roundTripAcrossShardsAndDocuments(int vocab) throws Exception {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    List<int[]> docs = new ArrayList<>();
    try (TokenShardWriter w = new TokenShardWriter(tmp, "train", vocab, 1000)) {
      for (int d = 0; d < 50; d++) {
        int[] doc = r.ints(r.nextInt(120), 0, vocab).toArray();
        docs.add(doc);
        w.beginDocument();
        w.write(doc, 0, doc.length);
      }
    }
    try (TokenShardReader rd = TokenShardReader.open(tmp, "train")) {
      assertEquals(vocab > 65536, rd.isUint32());
      assertEquals(docs.size(), rd.documents(), "seed " + seed);
      long total = docs.stream().mapToLong(d -> d.length).sum();
      assertEquals(total, rd.size());
      assertTrue(rd.shardPaths().size() > 1);
      for (int d = 0; d < docs.size(); d++) {
        int[] doc = docs.get(d);
        int[] got = new int[doc.length];
        rd.read(rd.documentStart(d), got, 0, doc.length);
        assertArrayEquals(doc, got, "document " + d + ", seed " + seed);
        assertEquals(rd.documentStart(d) + doc.length, rd.documentEnd(d));
      }
    }
    // llm.c header, readable as numpy expects
    ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("train_000000.bin"))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(vocab > 65536 ? 20240801 : 20240520, h.getInt(0));
    assertEquals(vocab > 65536 ? 7 : 1, h.getInt(4));
    assertEquals(1000, h.getInt(8));
  }

  @Test
  void emptySplitIsValid() throws Exception {
    new TokenShardWriter(tmp, "val", 100, 10).close();
    try (TokenShardReader rd = TokenShardReader.open(tmp, "val")) {
      assertEquals(0, rd.size());
      assertEquals(0, rd.documents());
    }
  }

  @Test
  void flippedOrTruncatedBytesAreDetected() throws Exception {
    try (TokenShardWriter w = new TokenShardWriter(tmp, "train", 1000, 100)) {
      w.beginDocument();
      for (int i = 0; i < 10; i++) w.write(i);
    }
    Path idx = tmp.resolve("train.docs.idx");
    byte[] b = Files.readAllBytes(idx);
    b[TokenShardFormat.DOCS_HEADER_BYTES] ^= 0x10;
    Files.write(idx, b);
    var e = assertThrows(CorruptArtifactException.class, () -> TokenShardReader.open(tmp, "train"));
    assertTrue(e.getMessage().contains("train.docs.idx"), e.getMessage());
    b[TokenShardFormat.DOCS_HEADER_BYTES] ^= 0x10;
    Files.write(idx, b);

    Path shard = tmp.resolve("train_000000.bin");
    byte[] s = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(s, s.length - 2));
    e = assertThrows(CorruptArtifactException.class, () -> TokenShardReader.open(tmp, "train"));
    assertTrue(e.getMessage().contains("train_000000.bin"), e.getMessage());
    s[0] ^= 1;
    Files.write(shard, s);
    e = assertThrows(CorruptArtifactException.class, () -> TokenShardReader.open(tmp, "train"));
    assertTrue(e.getMessage().contains("not a token shard"), e.getMessage());
  }

  @Test
  void tokensOutsideTheVocabularyAreRefused() throws Exception {
    try (TokenShardWriter w = new TokenShardWriter(tmp, "train", 10, 100)) {
      w.beginDocument();
      assertThrows(IllegalArgumentException.class, () -> w.write(10));
    }
  }
}
