package saturn.ingest.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import saturn.ingest.format.TokenShardWriter;
import saturn.ingest.read.DocumentSink;
import saturn.ingest.tokenize.CorpusTokenizer;

/**
 * Tokenizes documents on a pool of threads while keeping their order. The reading thread feeds this sink; text is
 * grouped into batches of about {@link #BATCH_CHARS} characters, each batch is encoded on the pool, and the writing
 * thread ({@link #drain}) takes the batches' futures from a bounded queue in submission order. The queue bound keeps
 * memory flat however large the corpus; the order makes the output independent of the thread count.
 *
 * <p>Documents longer than {@code chunkChars} are cut into pieces at a space between two non-space characters: GPT-2
 * style byte-level pre-tokenizers never merge across such a space, so the ids equal those of the uncut document.
 * A piece with no such space (e.g. 256K characters without a space) is cut anyway and counted in {@link #unsafeCuts()}.
 */
public final class TokenizePipeline implements DocumentSink {
  static final int BATCH_CHARS = 1 << 16;

  /** One piece of a document; {@code startsDoc} marks the first piece. */
  record Piece(String text, boolean startsDoc, boolean val) {}

  /** A batch and, once encoded, its ids. */
  static final class Batch {
    final Piece[] pieces;
    int[][] ids;
    long utf8Bytes;

    Batch(Piece[] pieces) {
      this.pieces = pieces;
    }
  }

  private static final Future<Batch> END = CompletableFuture.completedFuture(null);

  private final CorpusTokenizer tokenizer;
  private final int chunkChars;
  private final DocumentSplit split;
  private final ExecutorService pool;
  private final BlockingQueue<Future<Batch>> queue;

  // reading thread
  private final StringBuilder pending = new StringBuilder();
  private List<Piece> batch = new ArrayList<>();
  private int batchChars;
  private boolean docOpen;
  private boolean docEmitted;
  private boolean docVal;
  private long docIndex;
  private long unsafeCuts;
  private long emptyDocuments;

  // writing thread, read by the progress reporter
  private final AtomicLong documents = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong utf8Bytes = new AtomicLong();
  private long trainDocuments;
  private long valDocuments;
  private long unknownTokens;

  public TokenizePipeline(CorpusTokenizer tokenizer, int threads, int chunkChars, DocumentSplit split) {
    this.tokenizer = tokenizer;
    this.chunkChars = chunkChars;
    this.split = split;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "saturn-tokenize");
      t.setDaemon(true);
      return t;
    });
    this.queue = new ArrayBlockingQueue<>(4 * threads + 2);
  }

  // ---- reading side ----

  @Override
  public void startDocument() {
    if (docOpen) throw new IllegalStateException("document already open");
    docOpen = true;
    docEmitted = false;
    pending.setLength(0);
  }

  @Override
  public void text(CharSequence chars, int start, int end) throws IOException {
    if (!docOpen) throw new IllegalStateException("text outside a document");
    pending.append(chars, start, end);
    while (pending.length() >= chunkChars) {
      int cut = safeCut(pending, chunkChars);
      emit(pending.substring(0, cut));
      pending.delete(0, cut);
    }
  }

  @Override
  public void endDocument() throws IOException {
    if (!docOpen) throw new IllegalStateException("no document open");
    if (pending.length() > 0) emit(pending.toString());
    pending.setLength(0);
    if (!docEmitted) emptyDocuments++;
    docOpen = false;
  }

  /** Ends a document a damaged file left open (its text so far is kept). */
  public void endOpenDocument() throws IOException {
    if (docOpen) endDocument();
  }

  /** Where to cut: just before a space between two non-space characters, else (counted) at the limit. */
  private int safeCut(StringBuilder s, int limit) {
    for (int i = limit - 1; i > limit / 2; i--) {
      if (s.charAt(i) == ' ' && i + 1 < s.length() && !Character.isWhitespace(s.charAt(i - 1))
          && !Character.isWhitespace(s.charAt(i + 1))) {
        return i;
      }
    }
    unsafeCuts++;
    return Character.isHighSurrogate(s.charAt(limit - 1)) ? limit - 1 : limit;
  }

  private void emit(String text) throws IOException {
    boolean starts = !docEmitted;
    if (starts) docVal = split.isVal(docIndex++);
    docEmitted = true;
    batch.add(new Piece(text, starts, docVal));
    batchChars += text.length();
    if (batchChars >= BATCH_CHARS) submit();
  }

  private void submit() throws IOException {
    if (batch.isEmpty()) return;
    Batch b = new Batch(batch.toArray(new Piece[0]));
    batch = new ArrayList<>();
    batchChars = 0;
    Future<Batch> f = pool.submit(() -> encode(b));
    try {
      queue.put(f);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("ingest cancelled");
    }
  }

  private Batch encode(Batch b) {
    int[][] ids = new int[b.pieces.length][];
    long bytes = 0;
    for (int i = 0; i < ids.length; i++) {
      String t = b.pieces[i].text();
      ids[i] = tokenizer.encode(t);
      bytes += utf8Length(t);
    }
    b.ids = ids;
    b.utf8Bytes = bytes;
    return b;
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  /** Called by the reading thread after the last document. */
  public void finish() throws IOException {
    if (docOpen) throw new IllegalStateException("document still open at the end");
    submit();
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("ingest cancelled");
    }
  }

  /** Called by the reading thread when it fails: drops the open document and lets the writer stop. */
  public void abortReading() throws InterruptedIOException {
    docOpen = false;
    batch = new ArrayList<>();
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("ingest cancelled");
    }
  }

  // ---- writing side ----

  /** Writes batches in order until {@link #finish()} was called. Runs on the writing thread. */
  public void drain(TokenShardWriter train, TokenShardWriter val) throws IOException, InterruptedException {
    int eot = tokenizer.eotToken();
    boolean countUnknown = tokenizer.hasUnknownOrByteFallback();
    while (true) {
      Future<Batch> f = queue.take();
      if (f == END) return;
      Batch b;
      try {
        b = f.get();
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) throw r;
        if (c instanceof Error err) throw err;
        throw new IOException(c);
      }
      long t = 0;
      for (int i = 0; i < b.pieces.length; i++) {
        Piece p = b.pieces[i];
        TokenShardWriter w = p.val() ? val : train;
        if (p.startsDoc()) {
          w.beginDocument();
          if (eot >= 0) {
            w.write(eot);
            t++;
          }
          documents.incrementAndGet();
          if (p.val()) valDocuments++;
          else trainDocuments++;
        }
        int[] ids = b.ids[i];
        w.write(ids, 0, ids.length);
        t += ids.length;
        if (countUnknown) {
          for (int id : ids) if (tokenizer.isUnknownOrByteFallback(id)) unknownTokens++;
        }
      }
      tokens.addAndGet(t);
      utf8Bytes.addAndGet(b.utf8Bytes);
    }
  }

  /** Stops the pool; pending batches are dropped. */
  public void shutdown() {
    pool.shutdownNow();
  }

  public long documents() { return documents.get(); }
  public long tokens() { return tokens.get(); }
  public long utf8Bytes() { return utf8Bytes.get(); }
  public long trainDocuments() { return trainDocuments; }
  public long valDocuments() { return valDocuments; }
  public long unknownTokens() { return unknownTokens; }
  public long unsafeCuts() { return unsafeCuts; }
  public long emptyDocuments() { return emptyDocuments; }
}
