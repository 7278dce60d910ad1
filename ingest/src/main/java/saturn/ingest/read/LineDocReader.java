package saturn.ingest.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Lucene's line-doc format (lucene/benchmark, LineFileDocs): one document per line, {@code title<TAB>date<TAB>body},
 * optionally after a {@code FIELDS_HEADER_INDICATOR###} header naming the fields. The document is the body (title and
 * date are metadata). Lines without two tabs are bad records.
 */
final class LineDocReader implements CorpusReader {
  static final String HEADER = "FIELDS_HEADER_INDICATOR###";
  private final ReadOptions options;

  LineDocReader(ReadOptions options) {
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
      try (BufferedReader lines = new BufferedReader(text, 1 << 16)) {
        String line;
        long lineNo = 0;
        int bodyField = 2;
        boolean anyLine = false;
        while ((line = lines.readLine()) != null) {
          lineNo++;
          anyLine = true;
          if (lineNo == 1 && line.startsWith(HEADER)) {
            String[] names = line.substring(HEADER.length()).split("\t", -1);
            bodyField = -1;
            for (int i = 0, f = 0; i < names.length; i++) {
              if (names[i].isEmpty()) continue;
              if (names[i].equals("body")) bodyField = f;
              f++;
            }
            if (bodyField < 0) throw new BadInputException(file.display() + ":1: line-doc header names no \"body\" field; add one or convert the file");
            continue;
          }
          if (line.isEmpty()) {
            report.emptyDocuments++;
            continue;
          }
          int start = 0;
          for (int f = 0; f < bodyField && start >= 0; f++) {
            int tab = line.indexOf('\t', start);
            start = tab < 0 ? -1 : tab + 1;
          }
          if (start < 0) {
            String where = file.display() + ":" + lineNo;
            if (options.badRecords() == ReadOptions.BadRecords.FAIL) {
              throw new BadInputException(where + ": not a line-doc record (expected title<TAB>date<TAB>body); fix the line, read the file as txt (name it .txt), or pass --bad-records skip");
            }
            report.skipRecord(lineNo + ": fewer than " + bodyField + " tabs");
            continue;
          }
          int end = bodyField == 2 ? line.length() : line.indexOf('\t', start) < 0 ? line.length() : line.indexOf('\t', start);
          if (end == start) {
            report.emptyDocuments++;
            continue;
          }
          sink.startDocument();
          sink.text(line, start, end);
          sink.endDocument();
          report.documents++;
        }
        if (!anyLine) report.skipped = "empty file";
      } finally {
        report.replacedChars += text.replaced();
      }
    }
  }
}
