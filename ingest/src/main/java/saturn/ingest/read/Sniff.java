package saturn.ingest.read;

import java.io.IOException;
import java.io.InputStream;

/** Recognises binary content at the start of a (decompressed) text stream, so it is skipped instead of tokenized. */
final class Sniff {
  static final int PEEK = 8192;

  private Sniff() {}

  /** Null when the head looks like text; else why not. The stream must support mark/reset; it is left unread. */
  static String binaryReason(InputStream in) throws IOException {
    in.mark(PEEK);
    byte[] head = in.readNBytes(PEEK);
    in.reset();
    if (head.length == 0) return null;
    if (head.length >= 2 && ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe || (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff)) {
      return "UTF-16 text (byte-order mark); convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8";
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "binary (a zip archive); unpack it";
    if (head.length >= 4 && head[0] == '%' && head[1] == 'P' && head[2] == 'D' && head[3] == 'F') return "binary (PDF); extract its text first";
    int control = 0;
    for (int i = 0; i < head.length; i++) {
      int b = head[i] & 0xff;
      if (b == 0) return "binary (NUL byte at offset " + i + ")";
      if (b < 32 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b) control++;
    }
    if (control * 10 > head.length) return "binary (" + control + " control bytes in the first " + head.length + ")";
    return null;
  }
}
