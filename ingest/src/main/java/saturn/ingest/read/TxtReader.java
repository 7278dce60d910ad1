package saturn.ingest.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * Plain text. A document is the whole file, each non-empty line, or each blank-line-separated paragraph
 * ({@link ReadOptions.SplitTxt}). Streams: a line or file of any length never sits in memory whole. Line ends are
 * normalised to {@code \n} (CRLF and lone CR files read like LF files).
 */
final class TxtReader implements CorpusReader {
  private final ReadOptions options;

  TxtReader(ReadOptions options) {
    this.options = options;
  }

  @Override
  public void read(CorpusFile file, DocumentSink sink, FileReport report) throws IOException {
    try (InputStream in = file.open()) {
      String binary = Sniff.binaryReason(in);
      if (binary != null) {
        report.skipped = binary;
        return;
      }
      TextDecoder text = new TextDecoder(in, options.charset(), options.strict(), file.display());
      try {
        switch (options.splitTxt()) {
          case FILE -> wholeFile(text, sink, report);
          case LINE -> lines(text, sink, report);
          case PARAGRAPH -> paragraphs(text, sink, report);
        }
      } finally {
        report.replacedChars += text.replaced();
      }
    }
  }

  /** Reads chars with CR/CRLF turned into LF; returns the count in buf, or -1 at the end. */
  private static final class Normalized {
    final TextDecoder in;
    final char[] raw = new char[1 << 16];
    boolean lastWasCr;
    boolean first = true;

    Normalized(TextDecoder in) {
      this.in = in;
    }

    int read(char[] out) throws IOException {
      int n;
      do {
        n = in.read(raw, 0, raw.length);
        if (n < 0) return -1;
        int j = 0;
        int i = 0;
        if (first && n > 0) {
          first = false;
          if (raw[0] == '\uFEFF') i = 1; // byte-order mark is not text
        }
        for (; i < n; i++) {
          char c = raw[i];
          if (c == '\r') {
            out[j++] = '\n';
            lastWasCr = true;
          } else {
            if (!(c == '\n' && lastWasCr)) out[j++] = c;
            lastWasCr = false;
          }
        }
        n = j;
      } while (n == 0);
      return n;
    }
  }

  private void wholeFile(TextDecoder text, DocumentSink sink, FileReport report) throws IOException {
    Normalized in = new Normalized(text);
    char[] buf = new char[1 << 16];
    java.nio.CharBuffer view = java.nio.CharBuffer.wrap(buf);
    boolean any = false;
    int n;
    while ((n = in.read(buf)) > 0) {
      if (!any) {
        sink.startDocument();
        any = true;
      }
      sink.text(view, 0, n);
    }
    if (any) {
      sink.endDocument();
      report.documents++;
    } else {
      report.skipped = "empty file";
    }
  }

  private void lines(TextDecoder text, DocumentSink sink, FileReport report) throws IOException {
    Normalized in = new Normalized(text);
    char[] buf = new char[1 << 16];
    java.nio.CharBuffer view = java.nio.CharBuffer.wrap(buf);
    boolean inDoc = false;
    boolean anyChars = false;
    int n;
    while ((n = in.read(buf)) > 0) {
      anyChars = true;
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          if (i > start) {
            if (!inDoc) sink.startDocument();
            sink.text(view, start, i);
            inDoc = true;
          }
          if (inDoc) {
            sink.endDocument();
            report.documents++;
          } else {
            report.emptyDocuments++;
          }
          inDoc = false;
          start = i + 1;
        }
      }
      if (start < n) {
        if (!inDoc) sink.startDocument();
        inDoc = true;
        sink.text(view, start, n);
      }
    }
    if (inDoc) {
      sink.endDocument();
      report.documents++;
    }
    if (!anyChars) report.skipped = "empty file";
  }

  /** Paragraphs: runs of lines that are not blank (whitespace only), joined with {@code \n}. */
  private void paragraphs(TextDecoder text, DocumentSink sink, FileReport report) throws IOException {
    Normalized in = new Normalized(text);
    char[] buf = new char[1 << 16];
    java.nio.CharBuffer view = java.nio.CharBuffer.wrap(buf);
    StringBuilder lineHead = new StringBuilder(); // leading whitespace of the current line, until it proves non-blank
    boolean inDoc = false;
    boolean lineHasText = false;
    int pendingNewlines = 0; // newlines inside the current paragraph, written only when more text follows
    boolean anyChars = false;
    int n;
    while ((n = in.read(buf)) > 0) {
      anyChars = true;
      int runStart = -1;
      for (int i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') {
          if (runStart >= 0) {
            sink.text(view, runStart, i);
            runStart = -1;
          }
          if (lineHasText) {
            pendingNewlines = 1;
          } else if (inDoc) { // blank line ends the paragraph
            sink.endDocument();
            report.documents++;
            inDoc = false;
            pendingNewlines = 0;
          }
          lineHead.setLength(0);
          lineHasText = false;
        } else if (lineHasText) {
          if (runStart < 0) runStart = i;
        } else if (Character.isWhitespace(c)) {
          lineHead.append(c);
        } else {
          lineHasText = true;
          if (!inDoc) {
            sink.startDocument();
            inDoc = true;
          } else if (pendingNewlines > 0) {
            sink.text("\n");
          }
          pendingNewlines = 0;
          if (lineHead.length() > 0) sink.text(lineHead);
          lineHead.setLength(0);
          runStart = i;
        }
      }
      if (runStart >= 0) sink.text(view, runStart, n);
    }
    if (inDoc) {
      sink.endDocument();
      report.documents++;
    }
    if (!anyChars) report.skipped = "empty file";
  }
}
