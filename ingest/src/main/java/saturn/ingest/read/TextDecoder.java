package saturn.ingest.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes to characters, replacing each invalid sequence with U+FFFD and counting the replacements, or (strict)
 * failing with the byte offset. Java's own REPLACE action cannot count, hence this loop.
 */
public final class TextDecoder extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder;
  private final boolean strict;
  private final String display;
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
  private long bytesConsumed;
  private long replaced;
  private boolean eof;
  private boolean flushed;

  public TextDecoder(InputStream in, Charset charset, boolean strict, String display) {
    this.in = in;
    this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.strict = strict;
    this.display = display;
    bytes.flip();
  }

  /** Decodes a whole byte array (Arrow/Parquet values) with the same counting/strict rules. */
  public static String decode(byte[] data, Charset charset, boolean strict, String display, long[] replacedOut)
      throws IOException {
    try (TextDecoder d = new TextDecoder(new java.io.ByteArrayInputStream(data), charset, strict, display)) {
      StringBuilder sb = new StringBuilder(data.length);
      char[] buf = new char[Math.max(16, Math.min(data.length + 16, 1 << 16))];
      int n;
      while ((n = d.read(buf, 0, buf.length)) > 0) sb.append(buf, 0, n);
      replacedOut[0] += d.replaced();
      return sb.toString();
    }
  }

  public long replaced() {
    return replaced;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) return 0;
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (out.position() == off) {
      if (eof && flushed && !bytes.hasRemaining()) return -1;
      if (!eof && bytes.remaining() < 16) fill();
      int before = bytes.position();
      CoderResult r = decoder.decode(bytes, out, eof);
      bytesConsumed += bytes.position() - before;
      if (r.isError()) {
        if (strict) {
          throw new BadInputException(display + ": invalid " + decoder.charset().name() + " at byte "
              + String.format("%,d", bytesConsumed) + " (decompressed); fix the file, pass --encoding latin1 for a legacy file, or drop --strict to replace and count such bytes");
        }
        if (!out.hasRemaining()) break;
        out.put('\uFFFD');
        replaced++;
        bytes.position(bytes.position() + r.length());
        bytesConsumed += r.length();
        continue;
      }
      if (r.isOverflow()) break;
      if (eof && !bytes.hasRemaining()) {
        if (!flushed) {
          decoder.flush(out);
          flushed = true;
        }
        if (out.position() == off) return -1;
      }
    }
    return out.position() - off;
  }

  private void fill() throws IOException {
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) eof = true;
    else bytes.position(bytes.position() + n);
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
