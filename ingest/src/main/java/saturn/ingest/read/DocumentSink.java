package saturn.ingest.read;

import java.io.IOException;

/**
 * Receives documents from a {@link CorpusReader}. A document is {@link #startDocument()}, any number of
 * {@link #text} pieces (cut anywhere; the sink re-cuts long documents at safe places) and {@link #endDocument()}.
 */
public interface DocumentSink {
  void startDocument() throws IOException;

  void text(CharSequence chars, int start, int end) throws IOException;

  default void text(CharSequence chars) throws IOException {
    text(chars, 0, chars.length());
  }

  void endDocument() throws IOException;

  /** Convenience for readers that hold a whole record. */
  default void document(CharSequence chars) throws IOException {
    startDocument();
    text(chars);
    endDocument();
  }
}
