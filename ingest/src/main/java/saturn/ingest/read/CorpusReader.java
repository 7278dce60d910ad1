package saturn.ingest.read;

import java.io.IOException;

/** Reads the documents of one corpus file into a sink, recording what it did in the file's report. */
public interface CorpusReader {
  void read(CorpusFile file, DocumentSink sink, FileReport report) throws IOException;
}
