package saturn.ngram.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.SortedCounts;

/** The store's postings format: what Lucene itself sees in a store, and what it refuses to write. */
class CountPostingsFormatTest {
  @TempDir Path tmp;

  private static final KeyCodec CODEC = new KeyCodec(3, 50_257);

  /** Trigrams (GPT-2-sized vocabulary) with counts from 1 to 2^31-1, in key order. */
  private static TreeMap<List<Integer>, Long> sample() {
    TreeMap<List<Integer>, Long> m = new TreeMap<>((a, b) -> {
      for (int i = 0; i < a.size(); i++) {
        int c = Integer.compare(a.get(i), b.get(i));
        if (c != 0) return c;
      }
      return 0;
    });
    long[] counts = {1, 2, 3, 7, 1000, Integer.MAX_VALUE};
    int k = 0;
    for (int a = 0; a < 50_257; a += 4_999) {
      for (int b = 0; b < 300; b += 37) {
        for (int c : new int[] {0, 255, 256, 50_256}) m.put(List.of(a, b, c), counts[k++ % counts.length]);
      }
    }
    return m;
  }

  private static long[] keyOf(List<Integer> tokens) {
    long[] key = new long[CODEC.words()];
    CODEC.pack(tokens.stream().mapToInt(Integer::intValue).toArray(), 0, key, 0);
    return key;
  }

  private static SortedCounts streamOf(TreeMap<List<Integer>, Long> m) {
    var it = m.entrySet().iterator();
    return new SortedCounts() {
      long[] key;
      long count;

      @Override
      public boolean next() {
        if (!it.hasNext()) return false;
        var e = it.next();
        key = keyOf(e.getKey());
        count = e.getValue();
        return true;
      }

      @Override
      public long[] key() {
        return key;
      }

      @Override
      public int keyOffset() {
        return 0;
      }

      @Override
      public long count() {
        return count;
      }
    };
  }

  private static List<Integer> tokensOf(BytesRef t) {
    int[] tokens = new int[3];
    KeyCodec.termTokens(t.bytes, t.offset, 3, 2, tokens);
    return List.of(tokens[0], tokens[1], tokens[2]);
  }

  @Test
  void aStoreIsReadByStockLuceneWithCountsAsFrequenciesAndPassesCheckIndex() throws Exception {
    TreeMap<List<Integer>, Long> expected = sample();
    NgramStoreWriter.write(streamOf(expected), CODEC, tmp.resolve("store"), 1);
    Path p0 = tmp.resolve("store").resolve(NgramStoreFormat.partitionDir(0));
    try (FSDirectory dir = FSDirectory.open(p0)) {
      for (String f : dir.listAll()) assertFalse(f.endsWith(".doc"), "no postings file is written: " + f);
      Map<List<Integer>, Long> actual = new LinkedHashMap<>();
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        assertEquals(1, r.maxDoc());
        Terms terms = r.leaves().get(0).reader().terms(NgramStoreFormat.FIELD);
        assertEquals(expected.size(), terms.size());
        TermsEnum te = terms.iterator();
        PostingsEnum pe = null;
        for (BytesRef t = te.next(); t != null; t = te.next()) {
          assertEquals(1, te.docFreq());
          pe = te.postings(pe, PostingsEnum.FREQS);
          assertEquals(0, pe.nextDoc());
          assertEquals(te.totalTermFreq(), pe.freq());
          assertEquals(PostingsEnum.NO_MORE_DOCS, pe.nextDoc());
          actual.put(tokensOf(t), te.totalTermFreq());
        }
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(actual.entrySet()), "same n-grams, counts, order");
        TermsEnum seek = terms.iterator();
        assertFalse(seek.seekExact(new BytesRef(new byte[] {0, 37, 0, (byte) 255})), "a 2-token prefix is no term");
      }
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (CheckIndex check = new CheckIndex(dir)) {
        check.setInfoStream(new PrintStream(log, true, "UTF-8"));
        CheckIndex.Status status = check.checkIndex();
        assertTrue(status.clean, log.toString("UTF-8"));
      }
    }
  }

  @Test
  void aFormatV1StoreWithLuceneDefaultPostingsStillReadsAndMerges() throws Exception {
    // what format v1 wrote: the default codec's postings, counts as term frequencies in one document
    TreeMap<List<Integer>, Long> expected = sample();
    expected.values().removeIf(c -> c >= 2000);
    Path p0 = tmp.resolve("v1").resolve(NgramStoreFormat.partitionDir(0));
    Files.createDirectories(p0);
    FieldType type = new FieldType();
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    type.setOmitNorms(true);
    type.setTokenized(false);
    type.freeze();
    try (FSDirectory dir = FSDirectory.open(p0); IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      Document doc = new Document();
      for (var e : expected.entrySet()) {
        byte[] term = new byte[CODEC.termBytes()];
        CODEC.toTerm(keyOf(e.getKey()), 0, term, 0);
        for (long i = 0; i < e.getValue(); i++) doc.add(new Field(NgramStoreFormat.FIELD, new BytesRef(term), type));
      }
      w.addDocument(doc);
    }
    Files.deleteIfExists(p0.resolve(IndexWriter.WRITE_LOCK_NAME));
    Map<List<Integer>, Long> actual = new TreeMap<>(expected.comparator());
    try (NgramStoreReader r = NgramStoreReader.open(tmp.resolve("v1"), 1, 3, 2, true)) {
      r.forEach((t, c) -> actual.put(List.of(t[0], t[1], t[2]), c));
      assertEquals(expected.firstEntry().getValue(), r.count(expected.firstKey().stream().mapToInt(Integer::intValue).toArray()));
      // the stream --merge-into reads an existing store through
      SortedCounts s = r.sortedCounts(CODEC);
      int[] tokens = new int[3];
      for (var e : expected.entrySet()) {
        assertTrue(s.next());
        CODEC.unpack(s.key(), s.keyOffset(), tokens);
        assertEquals(e.getKey(), List.of(tokens[0], tokens[1], tokens[2]));
        assertEquals(e.getValue(), s.count());
      }
      assertFalse(s.next());
    }
    assertEquals(expected, actual);
  }

  @Test
  void segmentsOfMoreThanOneDocumentOrWithPositionsAreRefused() throws Exception {
    Lucene912Codec codec = new Lucene912Codec() {
      @Override
      public PostingsFormat getPostingsFormatForField(String field) {
        return new CountPostingsFormat();
      }
    };
    FieldType freqs = new FieldType();
    freqs.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    freqs.setTokenized(false);
    freqs.freeze();
    try (FSDirectory dir = FSDirectory.open(tmp.resolve("two"));
         IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setCodec(codec))) {
      for (int d = 0; d < 2; d++) {
        Document doc = new Document();
        doc.add(new Field("ngram", new BytesRef(new byte[] {1, 2}), freqs));
        w.addDocument(doc);
      }
      Exception e = assertThrows(IllegalArgumentException.class, w::commit);
      assertTrue(e.getMessage().contains("one document"), e.getMessage());
    }
    FieldType positions = new FieldType(freqs);
    positions.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    try (FSDirectory dir = FSDirectory.open(tmp.resolve("pos"));
         IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setCodec(codec))) {
      Document doc = new Document();
      doc.add(new Field("ngram", new BytesRef(new byte[] {1, 2}), positions));
      w.addDocument(doc);
      Exception e = assertThrows(IllegalArgumentException.class, w::commit);
      assertTrue(e.getMessage().contains("DOCS_AND_FREQS_AND_POSITIONS"), e.getMessage());
    }
  }
}
