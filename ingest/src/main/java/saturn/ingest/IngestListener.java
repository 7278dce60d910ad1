package saturn.ingest;

/** What the ingest stage tells its caller while it runs (the CLI prints it; tests and pipelines may ignore it). */
public interface IngestListener {
  IngestListener SILENT = new IngestListener() {};

  /** A one-line note: which tokenizer, an existing artifact found, a file skipped. */
  default void note(String line) {}

  /** Called about every 200 ms while tokenizing. */
  default void progress(Progress p) {}

  /**
   * A progress snapshot.
   *
   * @param inputBytesRead bytes of the input files consumed so far (compressed size for compressed files)
   * @param inputBytesTotal sum of the input files' sizes
   */
  record Progress(long documents, long tokens, long textBytes, long inputBytesRead, long inputBytesTotal,
      double seconds, boolean finished) {
    public double tokensPerSecond() {
      return seconds > 0 ? tokens / seconds : 0;
    }

    public double textMegabytesPerSecond() {
      return seconds > 0 ? textBytes / 1e6 / seconds : 0;
    }

    /** Seconds left, from the input bytes still to read; NaN before there is a rate. */
    public double etaSeconds() {
      if (inputBytesRead <= 0 || seconds <= 0) return Double.NaN;
      return (inputBytesTotal - inputBytesRead) * seconds / inputBytesRead;
    }
  }
}
