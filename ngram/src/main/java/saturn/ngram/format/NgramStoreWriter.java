package saturn.ngram.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FieldsConsumer;
import org.apache.lucene.codecs.FieldsProducer;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.NormsProducer;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.perfield.PerFieldPostingsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.Fields;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.BaseTermsEnum;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterCodecReader;
import org.apache.lucene.index.ImpactsEnum;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import saturn.ngram.NgramCountStats;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.Partitioning;
import saturn.ngram.internal.PartitionTasks;
import saturn.ngram.internal.SortedCounts;
import saturn.ngram.internal.Stop;

/**
 * Writes sorted (n-gram, count) streams into the Lucene store described in {@link NgramStoreFormat}, collecting the
 * count statistics on the way.
 *
 * <p>Why it is fast: the stream is already sorted and collapsed, so it does not go through IndexWriter's indexing
 * chain (which would invert, buffer and re-sort every term: ~20 s per 10M keys, and it cannot express a frequency
 * except by repeating the term). Instead the sorted stream is presented as the postings of a one-document segment
 * ({@link FilterCodecReader} over a template segment) and handed to {@link IndexWriter#addIndexes(CodecReader...)}:
 * Lucene's segment merger writes it straight into the block tree terms dictionary, term by term, at codec speed.
 *
 * <p>Partitions: {@link #writePartition} writes one partition's stream on the calling thread (the unit a counting
 * thread, or a distributed engine's task, owns end to end); {@link #writePartitions} writes P of them in parallel;
 * {@link #write} deals one merged stream to P partition writers. In all of them the first failure stops every other
 * writer (they poll a shared {@link Stop}), is rethrown once all have ended, and nothing waits forever.
 */
public final class NgramStoreWriter {
  private static final int BLOCK_TERMS = 8192;
  /**
   * Test hook: {@code -Dsaturn.ngram.failPartition=P[:N]} makes partition P's writer fail after N terms (default 0),
   * as a full disk or a Lucene error would. Read once per write; never set in normal use.
   */
  static final String FAIL_PARTITION_PROPERTY = "saturn.ngram.failPartition";

  private NgramStoreWriter() {}

  /**
   * Writes partition {@code source} (sorted, every context of it belonging to this partition; consumed, not closed)
   * as the Lucene index {@code indexDir}, on the calling thread. Polls {@code stop} between terms.
   *
   * @return the partition's count statistics (combine partitions with {@link NgramCountStats.Builder#add})
   */
  public static NgramCountStats.Builder writePartition(SortedCounts source, KeyCodec codec, Path indexDir, Stop stop)
      throws IOException {
    int partition = partitionNumber(indexDir);
    long failAfter = injectedFailure(partition);
    StreamSource stream = new StreamSource(source, codec, stop, failAfter, partition);
    stop.check();
    writeIndex(stream, indexDir);
    if (!stream.exhausted) throw new IOException("Lucene stopped reading the n-gram stream of " + indexDir + " before its end");
    return stream.stats;
  }

  /**
   * Writes {@code partitions.get(p)} as partition p of the store in {@code storeDir}, all in parallel; the first
   * failure stops the others and is rethrown. Every stream is closed.
   */
  public static NgramCountStats writePartitions(List<SortedCounts> partitions, KeyCodec codec, Path storeDir, Stop stop)
      throws IOException {
    Files.createDirectories(storeDir);
    try {
      List<NgramCountStats.Builder> parts = PartitionTasks.run("ngram-store-lucene", partitions.size(), stop,
          p -> writePartition(partitions.get(p), codec, storeDir.resolve(NgramStoreFormat.partitionDir(p)), stop));
      NgramCountStats.Builder all = new NgramCountStats.Builder(codec.order());
      for (NgramCountStats.Builder b : parts) all.add(b);
      return all.build();
    } finally {
      closeAll(partitions);
    }
  }

  /**
   * Writes {@code source} (one sorted stream of all partitions; consumed and closed) into a new store at
   * {@code storeDir}: {@code partitions} Lucene indexes {@code p0 .. p<P-1>}, written concurrently, each holding the
   * contexts that {@link NgramStoreFormat#partitionOf} assigns to it. The calling thread deals contexts, in blocks
   * of packed keys, to the partitions' writer threads.
   */
  public static NgramCountStats write(SortedCounts source, KeyCodec codec, Path storeDir, int partitions)
      throws IOException {
    Files.createDirectories(storeDir);
    Stop stop = new Stop();
    Dealer dealer = new Dealer(source, codec, partitions, stop);
    try {
      List<NgramCountStats.Builder> parts = PartitionTasks.run("ngram-store", partitions + 1, stop, p -> {
        if (p == partitions) {
          dealer.run();
          return null;
        }
        return writePartition(dealer.queue(p), codec, storeDir.resolve(NgramStoreFormat.partitionDir(p)), stop);
      });
      NgramCountStats.Builder all = new NgramCountStats.Builder(codec.order());
      for (int p = 0; p < partitions; p++) all.add(parts.get(p));
      return all.build();
    } finally {
      source.close();
    }
  }

  private static void closeAll(List<SortedCounts> streams) throws IOException {
    IOException first = null;
    for (SortedCounts s : streams) {
      try {
        if (s != null) s.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  private static int partitionNumber(Path indexDir) {
    String name = indexDir.getFileName() == null ? "" : indexDir.getFileName().toString();
    try {
      return name.startsWith("p") ? Integer.parseInt(name.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Terms after which partition {@code p}'s writer fails ({@link #FAIL_PARTITION_PROPERTY}), or -1. */
  private static long injectedFailure(int p) {
    String v = System.getProperty(FAIL_PARTITION_PROPERTY);
    if (v == null || v.isBlank() || p < 0) return -1;
    String[] f = v.split(":");
    if (Integer.parseInt(f[0].trim()) != p) return -1;
    return f.length > 1 ? Long.parseLong(f[1].trim()) : 0;
  }

  private static void writeIndex(StreamSource stream, Path indexDir) throws IOException {
    Files.createDirectories(indexDir);
    try (ByteBuffersDirectory templateDir = new ByteBuffersDirectory()) {
      FieldType type = new FieldType();
      type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
      type.setOmitNorms(true);
      type.setTokenized(false);
      type.freeze();
      try (IndexWriter w = new IndexWriter(templateDir, new IndexWriterConfig())) {
        Document doc = new Document();
        doc.add(new Field(NgramStoreFormat.FIELD, new BytesRef(new byte[] {0}), type));
        w.addDocument(doc);
        w.commit();
      }
      try (DirectoryReader template = DirectoryReader.open(templateDir);
           Directory out = FSDirectory.open(indexDir)) {
        CodecReader leaf = (CodecReader) template.leaves().get(0).reader();
        CodecReader synthetic = new FilterCodecReader(leaf) {
          @Override
          public FieldsProducer getPostingsReader() {
            return new StreamFields(stream);
          }

          @Override
          public CacheHelper getCoreCacheHelper() {
            return null;
          }

          @Override
          public CacheHelper getReaderCacheHelper() {
            return null;
          }
        };
        TieredMergePolicy mp = new TieredMergePolicy();
        mp.setNoCFSRatio(0.0); // a compound file would copy the whole index once more
        IndexWriterConfig cfg = new IndexWriterConfig().setCodec(DIRECT_CODEC).setMergePolicy(mp).setUseCompoundFile(false)
            .setMergeScheduler(new SerialMergeScheduler()).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (IndexWriter w = new IndexWriter(out, cfg)) {
          w.addIndexes(synthetic);
          w.commit();
        }
      }
    }
    Files.deleteIfExists(indexDir.resolve(IndexWriter.WRITE_LOCK_NAME));
  }

  /**
   * The default codec, except that the n-gram field's postings are {@link CountPostingsFormat} (block tree terms,
   * counts as term statistics, no postings file) and merging hands our stream straight to the block tree writer
   * instead of through the merge's multi-reader wrappers (MultiTermsEnum, doc-id mapping: a third of the per-term
   * cost). Per-field attributes and segment suffix are set as PerFieldPostingsFormat sets them, so the store is read
   * by Lucene's default codec, which finds {@link CountPostingsFormat} by name (SPI).
   */
  private static final Codec DIRECT_CODEC = directCodec();

  private static Codec directCodec() {
    Codec base = Codec.getDefault();
    // Term blocks of 64-128 entries instead of 25-48: fewer block-tree index FSTs to build (one `saturn ngram` run on
    // the 100M-token bench stream: 44.7 -> 41.7 s, within run-to-run noise); seeks stay in microseconds (bench ngram).
    // The block size is the writer's choice, not part of the format.
    PostingsFormat inner = new CountPostingsFormat(64, 128);
    PostingsFormat direct = new PostingsFormat(inner.getName()) {
      @Override
      public FieldsConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
        return new FieldsConsumer() {
          @Override
          public void write(Fields fields, NormsProducer norms) throws IOException {
            try (FieldsConsumer c = base.postingsFormat().fieldsConsumer(state)) {
              c.write(fields, norms);
            }
          }

          @Override
          public void merge(MergeState mergeState, NormsProducer norms) throws IOException {
            if (mergeState.fieldsProducers.length != 1 || !(mergeState.fieldsProducers[0] instanceof StreamFields)) {
              try (FieldsConsumer c = base.postingsFormat().fieldsConsumer(state)) {
                c.merge(mergeState, norms);
              }
              return;
            }
            FieldInfo fi = mergeState.mergeFieldInfos.fieldInfo(NgramStoreFormat.FIELD);
            fi.putAttribute(PerFieldPostingsFormat.PER_FIELD_FORMAT_KEY, inner.getName());
            fi.putAttribute(PerFieldPostingsFormat.PER_FIELD_SUFFIX_KEY, "0");
            try (FieldsConsumer c = inner.fieldsConsumer(new SegmentWriteState(state, inner.getName() + "_0"))) {
              c.write(mergeState.fieldsProducers[0], norms);
            }
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public FieldsProducer fieldsProducer(SegmentReadState state) throws IOException {
        return base.postingsFormat().fieldsProducer(state);
      }
    };
    return new FilterCodec(base.getName(), base) {
      @Override
      public PostingsFormat postingsFormat() {
        return direct;
      }
    };
  }

  /**
   * One partition's stream as Lucene reads it: packed keys turned into term bytes, the count statistics collected,
   * the stop signal polled, and the 2^31-1 limit of a term frequency enforced.
   */
  private static final class StreamSource {
    final SortedCounts source;
    final KeyCodec codec;
    final Stop stop;
    final long failAfter;
    final int partition;
    final NgramCountStats.Builder stats;
    final long[] prev;
    final int contextTokens;
    boolean first = true;
    boolean exhausted;
    long terms;

    StreamSource(SortedCounts source, KeyCodec codec, Stop stop, long failAfter, int partition) {
      this.source = source;
      this.codec = codec;
      this.stop = stop;
      this.failAfter = failAfter;
      this.partition = partition;
      this.stats = new NgramCountStats.Builder(codec.order());
      this.prev = new long[codec.words()];
      this.contextTokens = codec.order() - 1;
    }

    /** Advances to the next n-gram, writing its term into {@code term}; returns its count, or -1 at the end. */
    long next(byte[] term) throws IOException {
      if ((terms & 0x3FF) == 0) stop.check();
      if (terms == failAfter) {
        throw new IOException("injected failure in partition " + partition + " after " + terms + " terms ("
            + FAIL_PARTITION_PROPERTY + ")");
      }
      if (!source.next()) {
        exhausted = true;
        return -1;
      }
      long[] key = source.key();
      int off = source.keyOffset();
      long c = source.count();
      if (c > Integer.MAX_VALUE) {
        throw new IllegalStateException("an n-gram occurs " + c + " times, more than the store's 2^31-1 per n-gram");
      }
      boolean newContext = first || codec.sharedTokens(prev, 0, key, off) < contextTokens;
      stats.add(c, newContext);
      System.arraycopy(key, off, prev, 0, prev.length);
      first = false;
      codec.toTerm(key, off, term, 0);
      terms++;
      return c;
    }
  }

  /** Sorted packed keys in blocks, dealt by {@link #write}'s calling thread to the partition writers. */
  private static final class Block {
    final long[] keys;
    final long[] counts = new long[BLOCK_TERMS];
    int size;

    Block(int words) {
      keys = new long[BLOCK_TERMS * words];
    }
  }

  private static final Block END = new Block(0);

  /**
   * Deals contexts of one merged stream to P queues. Puts and takes wait in slices and poll the stop signal, so a
   * failed writer (or dealer) never leaves another thread waiting for a block that will not come.
   */
  private static final class Dealer {
    final SortedCounts source;
    final KeyCodec codec;
    final int partitions;
    final Stop stop;
    final List<BlockingQueue<Block>> full = new ArrayList<>();
    final List<BlockingQueue<Block>> free = new ArrayList<>();

    Dealer(SortedCounts source, KeyCodec codec, int partitions, Stop stop) {
      this.source = source;
      this.codec = codec;
      this.partitions = partitions;
      this.stop = stop;
      for (int p = 0; p < partitions; p++) {
        full.add(new ArrayBlockingQueue<>(8));
        free.add(new ArrayBlockingQueue<>(16));
      }
    }

    void run() throws IOException {
      int words = codec.words();
      Block[] blocks = new Block[partitions];
      for (int p = 0; p < partitions; p++) blocks[p] = new Block(words);
      long[] prev = new long[words];
      boolean first = true;
      int part = 0;
      int contextBytes = codec.termBytes() - codec.bytesPerToken();
      while (source.next()) {
        long[] key = source.key();
        int off = source.keyOffset();
        boolean newContext = first || codec.sharedTokens(prev, 0, key, off) < codec.order() - 1;
        System.arraycopy(key, off, prev, 0, words);
        first = false;
        if (newContext && partitions > 1) part = Partitioning.ofKey(key, off, contextBytes, partitions);
        Block b = blocks[part];
        System.arraycopy(key, off, b.keys, b.size * words, words);
        b.counts[b.size++] = source.count();
        if (b.size == BLOCK_TERMS) {
          put(part, b);
          Block nb = free.get(part).poll();
          if (nb == null) nb = new Block(words);
          nb.size = 0;
          blocks[part] = nb;
        }
      }
      for (int p = 0; p < partitions; p++) {
        if (blocks[p].size > 0) put(p, blocks[p]);
        put(p, END);
      }
    }

    private void put(int part, Block b) throws IOException {
      try {
        while (!full.get(part).offer(b, 50, TimeUnit.MILLISECONDS)) stop.check();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    /** Partition p's blocks as a sorted stream. */
    SortedCounts queue(int p) {
      int words = codec.words();
      return new SortedCounts() {
        Block block;
        int i;

        @Override
        public boolean next() throws IOException {
          if (block == END) return false;
          if (block == null || ++i >= block.size) {
            if (block != null) free.get(p).offer(block);
            block = take();
            if (block == END) return false;
            i = 0;
          }
          return true;
        }

        private Block take() throws IOException {
          try {
            while (true) {
              Block b = full.get(p).poll(50, TimeUnit.MILLISECONDS);
              if (b != null) return b;
              stop.check();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          }
        }

        @Override
        public long[] key() {
          return block.keys;
        }

        @Override
        public int keyOffset() {
          return i * words;
        }

        @Override
        public long count() {
          return block.counts[i];
        }
      };
    }
  }

  private static final class StreamFields extends FieldsProducer {
    private final StreamSource stream;

    StreamFields(StreamSource stream) {
      this.stream = stream;
    }

    @Override
    public Iterator<String> iterator() {
      return Collections.singletonList(NgramStoreFormat.FIELD).iterator();
    }

    @Override
    public Terms terms(String field) {
      if (!NgramStoreFormat.FIELD.equals(field)) return null;
      return new Terms() {
        boolean iterated;

        @Override
        public TermsEnum iterator() {
          if (iterated) throw new IllegalStateException("the n-gram stream can be read only once");
          iterated = true;
          return new StreamTermsEnum(stream);
        }

        @Override
        public long size() {
          return -1;
        }

        @Override
        public long getSumTotalTermFreq() {
          return -1;
        }

        @Override
        public long getSumDocFreq() {
          return -1;
        }

        @Override
        public int getDocCount() {
          return 1;
        }

        @Override
        public boolean hasFreqs() {
          return true;
        }

        @Override
        public boolean hasOffsets() {
          return false;
        }

        @Override
        public boolean hasPositions() {
          return false;
        }

        @Override
        public boolean hasPayloads() {
          return false;
        }
      };
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public void checkIntegrity() {}

    @Override
    public void close() {}
  }

  private static final class StreamTermsEnum extends BaseTermsEnum {
    private final StreamSource stream;
    private final BytesRef term;
    private final CountPostingsFormat.OnePosting postings = new CountPostingsFormat.OnePosting();
    private long count;
    private boolean done;

    StreamTermsEnum(StreamSource stream) {
      this.stream = stream;
      this.term = new BytesRef(new byte[stream.codec.termBytes()]);
    }

    @Override
    public BytesRef next() throws IOException {
      if (done) return null;
      count = stream.next(term.bytes);
      if (count < 0) {
        done = true;
        return null;
      }
      return term;
    }

    @Override
    public BytesRef term() {
      return term;
    }

    @Override
    public int docFreq() {
      return 1;
    }

    @Override
    public long totalTermFreq() {
      return count;
    }

    @Override
    public PostingsEnum postings(PostingsEnum reuse, int flags) {
      postings.reset((int) count);
      return postings;
    }

    @Override
    public ImpactsEnum impacts(int flags) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AttributeSource attributes() {
      return super.attributes();
    }

    @Override
    public SeekStatus seekCeil(BytesRef text) {
      throw new UnsupportedOperationException("the n-gram stream is read in order");
    }

    @Override
    public void seekExact(long ord) {
      throw new UnsupportedOperationException("the n-gram stream is read in order");
    }

    @Override
    public long ord() {
      throw new UnsupportedOperationException();
    }
  }
}
