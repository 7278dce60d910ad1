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
import saturn.ngram.internal.SortedCounts;

/**
 * Writes a sorted (n-gram, count) stream into the Lucene store described in {@link NgramStoreFormat}, collecting the
 * count statistics on the way.
 *
 * <p>Why it is fast: the stream is already sorted and collapsed, so it does not go through IndexWriter's indexing
 * chain (which would invert, buffer and re-sort every term: ~20 s per 10M keys, and it cannot express a frequency
 * except by repeating the term). Instead the sorted stream is presented as the postings of a one-document segment
 * ({@link FilterCodecReader} over a template segment) and handed to {@link IndexWriter#addIndexes(CodecReader...)}:
 * Lucene's segment merger writes it straight into the block tree terms dictionary, term by term, at codec speed.
 * One thread merges the runs and deals contexts, as blocks of packed keys, to P partitions (P Lucene indexes, one per
 * core), whose Lucene threads turn keys into terms and write concurrently: the terms dictionary, the slowest part,
 * is built on every core.
 */
public final class NgramStoreWriter {
  private static final int BLOCK_TERMS = 8192;

  private NgramStoreWriter() {}

  /**
   * Writes {@code source} (consumed and closed) into a new store at {@code storeDir}: {@code partitions} Lucene
   * indexes {@code p0 .. p<P-1>}, written concurrently, each holding the contexts that
   * {@link NgramStoreFormat#partitionOf} assigns to it.
   */
  public static NgramCountStats write(SortedCounts source, KeyCodec codec, Path storeDir, int partitions)
      throws IOException {
    Files.createDirectories(storeDir);
    Producer producer = new Producer(source, codec, partitions);
    Thread t = new Thread(producer, "ngram-store-producer");
    t.setDaemon(true);
    t.start();
    List<Thread> writers = new ArrayList<>();
    Throwable[] failures = new Throwable[partitions];
    try {
      for (int p = 0; p < partitions; p++) {
        int part = p;
        Thread w = new Thread(() -> {
          try {
            writePartition(producer, part, storeDir.resolve(NgramStoreFormat.partitionDir(part)));
          } catch (Throwable e) {
            failures[part] = e;
            producer.cancel();
          }
        }, "ngram-store-lucene-" + p);
        w.setDaemon(true);
        w.start();
        writers.add(w);
      }
      for (Thread w : writers) join(w);
    } finally {
      producer.cancel();
      join(t);
      source.close();
    }
    producer.rethrow();
    for (Throwable f : failures) {
      if (f instanceof IOException io) throw io;
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error e) throw e;
      if (f != null) throw new IOException(f);
    }
    if (!producer.finished) throw new IOException("Lucene stopped reading the n-gram stream before its end");
    return producer.stats.build();
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void writePartition(Producer producer, int part, Path indexDir) throws IOException {
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
            return new StreamFields(producer, part);
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
   * Sorted packed keys in blocks, handed from the merging thread to Lucene's thread, which turns them into term bytes
   * (the merge is the serial part of the store; everything that can runs on the Lucene threads).
   */
  private static final class Block {
    final long[] keys;
    final long[] counts = new long[BLOCK_TERMS];
    int size;

    Block(int words) {
      keys = new long[BLOCK_TERMS * words];
    }
  }

  private static final Block END = new Block(0);

  private static final class Producer implements Runnable {
    final SortedCounts source;
    final KeyCodec codec;
    final int partitions;
    final List<BlockingQueue<Block>> full = new ArrayList<>();
    final List<BlockingQueue<Block>> free = new ArrayList<>();
    final NgramCountStats.Builder stats;
    volatile boolean cancelled;
    volatile Throwable failure;
    volatile boolean finished;

    Producer(SortedCounts source, KeyCodec codec, int partitions) {
      this.source = source;
      this.partitions = partitions;
      for (int p = 0; p < partitions; p++) {
        full.add(new ArrayBlockingQueue<>(8));
        free.add(new ArrayBlockingQueue<>(16));
      }
      this.codec = codec;
      this.stats = new NgramCountStats.Builder(codec.order());
    }

    void cancel() {
      cancelled = true;
    }

    void rethrow() throws IOException {
      Throwable f = failure;
      if (f == null) return;
      if (f instanceof IOException io) throw io;
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error e) throw e;
      throw new IOException(f);
    }

    @Override
    public void run() {
      try {
        long[] prev = new long[codec.words()];
        boolean first = true;
        int words = codec.words();
        Block[] blocks = new Block[partitions];
        for (int p = 0; p < partitions; p++) blocks[p] = new Block(words);
        byte[] context = new byte[codec.termBytes()];
        int part = 0;
        int contextBytes = codec.termBytes() - codec.bytesPerToken();
        while (source.next()) {
          long[] key = source.key();
          int off = source.keyOffset();
          long c = source.count();
          if (c > Integer.MAX_VALUE) {
            throw new IllegalStateException("an n-gram occurs " + c + " times, more than the store's 2^31-1 per n-gram");
          }
          boolean newContext = first || codec.sharedTokens(prev, 0, key, off) < codec.order() - 1;
          stats.add(c, newContext);
          System.arraycopy(key, off, prev, 0, prev.length);
          first = false;
          if (newContext && partitions > 1) {
            codec.toTerm(key, off, context, 0);
            part = NgramStoreFormat.partitionOf(context, 0, contextBytes, partitions);
          }
          Block b = blocks[part];
          System.arraycopy(key, off, b.keys, b.size * words, words);
          b.counts[b.size++] = c;
          if (b.size == BLOCK_TERMS) {
            if (!put(part, b)) return;
            Block nb = free.get(part).poll();
            if (nb == null) nb = new Block(words);
            nb.size = 0;
            blocks[part] = nb;
          }
        }
        for (int p = 0; p < partitions; p++) {
          if (blocks[p].size > 0 && !put(p, blocks[p])) return;
        }
        finished = true;
      } catch (Throwable e) {
        failure = e;
      } finally {
        for (int p = 0; p < partitions; p++) put(p, END);
      }
    }

    private boolean put(int part, Block b) {
      try {
        while (!cancelled) {
          if (full.get(part).offer(b, 100, TimeUnit.MILLISECONDS)) return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    Block take(int part) throws IOException {
      try {
        Block b = full.get(part).take();
        if (b == END) rethrow();
        return b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static final class StreamFields extends FieldsProducer {
    private final Producer producer;
    private final int part;

    StreamFields(Producer producer, int part) {
      this.producer = producer;
      this.part = part;
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
          return new StreamTermsEnum(producer, part);
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
    private final Producer producer;
    private final int part;
    private final BytesRef term;
    private final CountPostingsFormat.OnePosting postings = new CountPostingsFormat.OnePosting();
    private Block block;
    private int i;
    private long count;

    StreamTermsEnum(Producer producer, int part) {
      this.producer = producer;
      this.part = part;
      this.term = new BytesRef(new byte[producer.codec.termBytes()]);
    }

    @Override
    public BytesRef next() throws IOException {
      if (block == END) return null;
      if (block == null || ++i >= block.size) {
        if (block != null) producer.free.get(part).offer(block);
        block = producer.take(part);
        if (block == END) return null;
        i = 0;
      }
      producer.codec.toTerm(block.keys, i * producer.codec.words(), term.bytes, 0);
      count = block.counts[i];
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
