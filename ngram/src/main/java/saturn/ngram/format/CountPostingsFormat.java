package saturn.ngram.format;

import java.io.IOException;
import org.apache.lucene.codecs.BlockTermState;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.FieldsConsumer;
import org.apache.lucene.codecs.FieldsProducer;
import org.apache.lucene.codecs.NormsProducer;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.PostingsReaderBase;
import org.apache.lucene.codecs.PostingsWriterBase;
import org.apache.lucene.codecs.lucene90.blocktree.Lucene90BlockTreeTermsReader;
import org.apache.lucene.codecs.lucene90.blocktree.Lucene90BlockTreeTermsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.ImpactsEnum;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.SlowImpactsEnum;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.DataOutput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * The postings format of the n-gram field (store format v2): Lucene's block tree terms dictionary
 * ({@link Lucene90BlockTreeTermsWriter}, the same terms files as Lucene's default codec) with postings that are
 * nothing but the term statistics. A store segment has one document, so every term's postings are "document 0, with
 * the n-gram's count as frequency": the block tree already records docFreq (1) and totalTermFreq (the count) per
 * term, so this format writes no postings file and no per-term metadata. Lucene's general postings writer spent a
 * quarter of the Lucene threads' time on bookkeeping for postings that carry nothing (impact accumulators, doc
 * buffers, a singleton doc id per term).
 *
 * <p>Registered for Lucene's SPI ({@code META-INF/services}), so a store opens with {@code DirectoryReader.open} as
 * long as saturn-ngram is on the class path. Only segments of one document with frequencies and no positions can be
 * written; anything else is refused rather than silently truncated.
 */
public final class CountPostingsFormat extends PostingsFormat {
  public static final String NAME = "SaturnCounts10";
  static final String TERMS_CODEC = "SaturnCountsPostingsTerms";
  static final int VERSION = 0;

  private final int minTermBlockSize;
  private final int maxTermBlockSize;

  /** For Lucene's SPI (reading; block sizes are a writer's choice). */
  public CountPostingsFormat() {
    this(Lucene90BlockTreeTermsWriter.DEFAULT_MIN_BLOCK_SIZE, Lucene90BlockTreeTermsWriter.DEFAULT_MAX_BLOCK_SIZE);
  }

  public CountPostingsFormat(int minTermBlockSize, int maxTermBlockSize) {
    super(NAME);
    this.minTermBlockSize = minTermBlockSize;
    this.maxTermBlockSize = maxTermBlockSize;
  }

  @Override
  public FieldsConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
    return new Lucene90BlockTreeTermsWriter(state, new Writer(), minTermBlockSize, maxTermBlockSize);
  }

  @Override
  public FieldsProducer fieldsProducer(SegmentReadState state) throws IOException {
    return new Lucene90BlockTreeTermsReader(new Reader(), state);
  }

  private static final class CountTermState extends BlockTermState {}

  private static final class Writer extends PostingsWriterBase {
    private PostingsEnum reuse;

    @Override
    public void init(IndexOutput termsOut, SegmentWriteState state) throws IOException {
      CodecUtil.writeIndexHeader(termsOut, TERMS_CODEC, VERSION, state.segmentInfo.getId(), state.segmentSuffix);
    }

    @Override
    public void setField(FieldInfo fieldInfo) {
      if (fieldInfo.getIndexOptions() != IndexOptions.DOCS_AND_FREQS) {
        throw new IllegalArgumentException(NAME + " stores documents and frequencies only; field " + fieldInfo.name
            + " is indexed with " + fieldInfo.getIndexOptions());
      }
    }

    @Override
    public BlockTermState writeTerm(BytesRef term, TermsEnum termsEnum, FixedBitSet docsSeen, NormsProducer norms)
        throws IOException {
      reuse = termsEnum.postings(reuse, PostingsEnum.FREQS);
      int doc = reuse.nextDoc();
      if (doc == PostingsEnum.NO_MORE_DOCS) return null;
      long freq = reuse.freq();
      if (doc != 0 || reuse.nextDoc() != PostingsEnum.NO_MORE_DOCS) {
        throw new IllegalArgumentException(NAME + " stores segments of one document (doc 0); term " + term
            + " has a posting in document " + (doc != 0 ? doc : reuse.docID()));
      }
      docsSeen.set(0);
      CountTermState s = new CountTermState();
      s.docFreq = 1;
      s.totalTermFreq = freq;
      return s;
    }

    @Override
    public void encodeTerm(DataOutput out, FieldInfo fieldInfo, BlockTermState state, boolean absolute) {
      // nothing: the block tree's own term statistics are the postings
    }

    @Override
    public void close() {}
  }

  private static final class Reader extends PostingsReaderBase {
    @Override
    public void init(IndexInput termsIn, SegmentReadState state) throws IOException {
      CodecUtil.checkIndexHeader(termsIn, TERMS_CODEC, VERSION, VERSION, state.segmentInfo.getId(), state.segmentSuffix);
    }

    @Override
    public BlockTermState newTermState() {
      return new CountTermState();
    }

    @Override
    public void decodeTerm(DataInput in, FieldInfo fieldInfo, BlockTermState state, boolean absolute) {}

    @Override
    public PostingsEnum postings(FieldInfo fieldInfo, BlockTermState state, PostingsEnum reuse, int flags) {
      OnePosting p = reuse instanceof OnePosting o ? o : new OnePosting();
      p.reset((int) state.totalTermFreq);
      return p;
    }

    @Override
    public ImpactsEnum impacts(FieldInfo fieldInfo, BlockTermState state, int flags) {
      return new SlowImpactsEnum(postings(fieldInfo, state, null, flags));
    }

    @Override
    public void checkIntegrity() {
      // no file of its own: the terms files' checksums are checked by the block tree reader
    }

    @Override
    public void close() {}
  }

  /** The postings of one term: document 0 with the n-gram's count as frequency. */
  static final class OnePosting extends PostingsEnum {
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
