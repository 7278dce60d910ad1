package saturn.ngram.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Packs an n-gram of token ids into {@code words} longs, first token in the most significant bits, each token in
 * {@code bitsPerToken} = 8 × {@link #bytesFor} bits. Comparing packed keys word by word as unsigned longs is the same
 * as comparing the token sequences lexicographically, so a sort of packed keys puts all continuations of one context
 * next to each other.
 *
 * <p>Why it is fast: a GPT-2 5-gram (16 bits per token) fits in two longs, so sorting and merging move 16 bytes per
 * n-gram and compare two machine words instead of five ints or a byte string. Tokens take whole bytes (15-bit
 * vocabularies too) so that a key's big-endian bytes are its Lucene term, and writing a term is a copy.
 */
public final class KeyCodec {
  private final int order;
  private final int bitsPerToken;
  private final int words;
  private final int usedBits;
  private final long tokenMask;
  private final int termBytes;
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  public KeyCodec(int order, long vocabSize) {
    if (order < 1 || order > 8) throw new IllegalArgumentException("order must be in [1, 8]: " + order);
    this.order = order;
    this.bitsPerToken = 8 * bytesFor(vocabSize);
    this.usedBits = order * bitsPerToken;
    this.words = (usedBits + 63) / 64;
    this.tokenMask = bitsPerToken == 64 ? -1L : (1L << bitsPerToken) - 1;
    this.termBytes = usedBits / 8;
  }

  /** Bits needed for token ids in [0, vocabSize); at least 1, at most 32. */
  public static int bitsFor(long vocabSize) {
    if (vocabSize < 1 || vocabSize > (1L << 32)) throw new IllegalArgumentException("vocabulary size must be in [1, 2^32]: " + vocabSize);
    return Math.max(1, 64 - Long.numberOfLeadingZeros(vocabSize - 1));
  }

  /** Bytes per token in a Lucene term: big-endian, so byte order equals token order. */
  public static int bytesFor(long vocabSize) {
    return (bitsFor(vocabSize) + 7) / 8;
  }

  public int order() {
    return order;
  }

  public int words() {
    return words;
  }

  public int bitsPerToken() {
    return bitsPerToken;
  }

  /** Bytes per token in the key and in its Lucene term ({@link #bytesFor} of the vocabulary). */
  public int bytesPerToken() {
    return bitsPerToken / 8;
  }

  /** Length of a Lucene term: order × bytesPerToken. */
  public int termBytes() {
    return termBytes;
  }

  /** Number of meaningful bits, from the top of word 0; the radix sort skips the rest. */
  public int usedBits() {
    return usedBits;
  }

  /** Packs tokens[off .. off+order) into dst[dstOff .. dstOff+words). */
  public void pack(int[] tokens, int off, long[] dst, int dstOff) {
    for (int w = 0; w < words; w++) dst[dstOff + w] = 0;
    if (64 % bitsPerToken == 0) { // 8, 16 or 32 bits: no token straddles two words
      for (int i = 0, bit = 0; i < order; i++, bit += bitsPerToken) {
        dst[dstOff + (bit >>> 6)] |= (tokens[off + i] & 0xFFFFFFFFL) << (64 - bitsPerToken - (bit & 63));
      }
      return;
    }
    for (int i = 0, bit = 0; i < order; i++, bit += bitsPerToken) orToken(dst, dstOff, bit, tokens[off + i]);
  }

  /** ORs a token into its (zero) slot starting {@code bit} bits from the top of key[off ..]; it may straddle words. */
  private void orToken(long[] key, int off, int bit, int token) {
    long t = token & 0xFFFFFFFFL;
    int w = off + (bit >>> 6);
    int end = (bit & 63) + bitsPerToken; // end position within word w
    if (end <= 64) {
      key[w] |= t << (64 - end);
    } else {
      key[w] |= t >>> (end - 64);
      key[w + 1] |= t << (128 - end);
    }
  }

  /**
   * Turns the packed key of tokens t0 .. t(order−1) at key[off ..] into that of t1 .. t(order−1), {@code token}: the
   * key of the next window, for a shift and an OR instead of packing all its tokens again.
   */
  public void roll(long[] key, int off, int token) {
    int b = bitsPerToken; // at most 32
    int last = off + words - 1;
    for (int w = off; w < last; w++) key[w] = (key[w] << b) | (key[w + 1] >>> (64 - b));
    key[last] <<= b; // the slot of the new token came from the unused (zero) bits
    orToken(key, off, usedBits - b, token);
  }

  /** Token i of the packed key at key[off ..]. */
  public int token(long[] key, int off, int i) {
    int bit = i * bitsPerToken;
    int w = bit >>> 6;
    int end = (bit & 63) + bitsPerToken;
    long v;
    if (end <= 64) {
      v = key[off + w] >>> (64 - end);
    } else {
      int spill = end - 64;
      v = (key[off + w] << spill) | (key[off + w + 1] >>> (64 - spill));
    }
    return (int) (v & tokenMask);
  }

  public void unpack(long[] key, int off, int[] dst) {
    for (int i = 0; i < order; i++) dst[i] = token(key, off, i);
  }

  /** Unsigned lexicographic comparison of two packed keys. */
  public int compare(long[] a, int aOff, long[] b, int bOff) {
    for (int w = 0; w < words; w++) {
      int c = Long.compareUnsigned(a[aOff + w], b[bOff + w]);
      if (c != 0) return c;
    }
    return 0;
  }

  /** Number of leading tokens two keys share (order when equal). */
  public int sharedTokens(long[] a, int aOff, long[] b, int bOff) {
    return Math.min(order, sharedBits(a, aOff, b, bOff) / bitsPerToken);
  }

  /** Number of leading bits two keys share (64 × words when equal). */
  public int sharedBits(long[] a, int aOff, long[] b, int bOff) {
    for (int w = 0; w < words; w++) {
      long x = a[aOff + w] ^ b[bOff + w];
      if (x != 0) return w * 64 + Long.numberOfLeadingZeros(x);
    }
    return words * 64;
  }

  /**
   * Writes the key as a Lucene term: each token in {@link #bytesPerToken} big-endian bytes, which are exactly the
   * key's leading {@link #termBytes} bytes.
   */
  public void toTerm(long[] key, int off, byte[] dst, int dstOff) {
    int n = termBytes;
    int w = off;
    for (; n >= 8; n -= 8, w++, dstOff += 8) LONG_BE.set(dst, dstOff, key[w]);
    for (int b = 0; b < n; b++) dst[dstOff + b] = (byte) (key[w] >>> (56 - 8 * b));
  }

  /** Reads a Lucene term written by {@link #toTerm} (termBytes bytes at {@code src[srcOff]}) back into a packed key. */
  public void fromTerm(byte[] src, int srcOff, long[] dst, int dstOff) {
    int n = termBytes;
    int w = dstOff;
    int p = srcOff;
    for (; n >= 8; n -= 8, w++, p += 8) dst[w] = (long) LONG_BE.get(src, p);
    if (n > 0) {
      long v = 0;
      for (int b = 0; b < n; b++) v |= (src[p + b] & 0xFFL) << (56 - 8 * b);
      dst[w] = v;
    }
  }

  /** Reads a Lucene term written by {@link #toTerm} back into tokens. */
  public static void termTokens(byte[] src, int srcOff, int tokens, int bytesPerToken, int[] dst) {
    int p = srcOff;
    for (int i = 0; i < tokens; i++) {
      int t = 0;
      for (int b = 0; b < bytesPerToken; b++) t = (t << 8) | (src[p++] & 0xFF);
      dst[i] = t;
    }
  }
}
