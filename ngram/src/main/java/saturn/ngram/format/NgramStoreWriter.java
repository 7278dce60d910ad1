package saturn.ngram.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.codecs.FieldsProducer;
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
 * A second thread decodes the merged runs into term blocks while the Lucene thread writes them, so both cores work.
 */
public final class NgramStoreWriter {
  private static final int BLOCK_TERMS = 8192;

  private NgramStoreWriter() {}

  /** Writes {@code source} (consumed and closed) into a new index at {@code indexDir}. */
  public static NgramCountStats write(SortedCounts source, KeyCodec codec, int bytesPerToken, Path indexDir) throws IOException {
    Files.createDirectories(indexDir);
    Producer producer = new Producer(source, codec, bytesPerToken);
    Thread t = new Thread(producer, "ngram-store-producer");
    t.setDaemon(true);
    t.start();
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
            return new StreamFields(producer);
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
        IndexWriterConfig cfg = new IndexWriterConfig().setMergePolicy(mp).setUseCompoundFile(false)
            .setMergeScheduler(new SerialMergeScheduler()).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (IndexWriter w = new IndexWriter(out, cfg)) {
          w.addIndexes(synthetic);
          w.commit();
        }
      }
    } finally {
      producer.cancel();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      source.close();
    }
    Files.deleteIfExists(indexDir.resolve(IndexWriter.WRITE_LOCK_NAME));
    producer.rethrow();
    if (!producer.finished) throw new IOException("Lucene stopped reading the n-gram stream before its end");
    return producer.stats.build();
  }

  /** Sorted terms in blocks, handed from the decoding thread to Lucene's thread. */
  private static final class Block {
    final byte[] terms;
    final long[] counts = new long[BLOCK_TERMS];
    int size;

    Block(int termLength) {
      terms = new byte[BLOCK_TERMS * termLength];
    }
  }

  private static final Block END = new Block(0);

  private static final class Producer implements Runnable {
    final SortedCounts source;
    final KeyCodec codec;
    final int bytesPerToken;
    final int termLength;
    final BlockingQueue<Block> full = new ArrayBlockingQueue<>(8);
    final BlockingQueue<Block> free = new ArrayBlockingQueue<>(16);
    final NgramCountStats.Builder stats;
    volatile boolean cancelled;
    volatile Throwable failure;
    volatile boolean finished;

    Producer(SortedCounts source, KeyCodec codec, int bytesPerToken) {
      this.source = source;
      this.codec = codec;
      this.bytesPerToken = bytesPerToken;
      this.termLength = codec.order() * bytesPerToken;
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
        Block b = new Block(termLength);
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
          codec.toTerm(key, off, bytesPerToken, b.terms, b.size * termLength);
          b.counts[b.size++] = c;
          if (b.size == BLOCK_TERMS) {
            if (!put(b)) return;
            b = free.poll();
            if (b == null) b = new Block(termLength);
            b.size = 0;
          }
        }
        if (b.size > 0 && !put(b)) return;
        finished = true;
      } catch (Throwable e) {
        failure = e;
      } finally {
        put(END);
      }
    }

    private boolean put(Block b) {
      try {
        while (!cancelled) {
          if (full.offer(b, 100, TimeUnit.MILLISECONDS)) return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    Block take() throws IOException {
      try {
        Block b = full.take();
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

    StreamFields(Producer producer) {
      this.producer = producer;
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
          return new StreamTermsEnum(producer);
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
    private final BytesRef term = new BytesRef();
    private final OnePosting postings = new OnePosting();
    private Block block;
    private int i;
    private long count;

    StreamTermsEnum(Producer producer) {
      this.producer = producer;
    }

    @Override
    public BytesRef next() throws IOException {
      if (block == END) return null;
      if (block == null || ++i >= block.size) {
        if (block != null) producer.free.offer(block);
        block = producer.take();
        if (block == END) return null;
        i = 0;
      }
      term.bytes = block.terms;
      term.offset = i * producer.termLength;
      term.length = producer.termLength;
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

  /** The postings of one term: document 0 with the n-gram's count as frequency. */
  private static final class OnePosting extends PostingsEnum {
    private int doc = -1;
    private int freq;

    void reset(int freq) {
      this.freq = freq;
      this.doc = -1;
    }

    @Override
    public int freq() {
      return freq;
    }

    @Override
    public int nextPosition() {
      return -1;
    }

    @Override
    public int startOffset() {
      return -1;
    }

    @Override
    public int endOffset() {
      return -1;
    }

    @Override
    public BytesRef getPayload() {
      return null;
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public int nextDoc() {
      return doc = (doc == -1 ? 0 : NO_MORE_DOCS);
    }

    @Override
    public int advance(int target) {
      return doc = (doc == -1 && target <= 0 ? 0 : NO_MORE_DOCS);
    }

    @Override
    public long cost() {
      return 1;
    }
  }
}
