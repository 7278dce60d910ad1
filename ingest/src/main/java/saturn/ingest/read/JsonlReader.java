package saturn.ingest.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines: one object per line, the document in {@link ReadOptions#textField()} (top-level string). Malformed
 * lines and records without the field follow {@link ReadOptions#badRecords()}; either way they are counted and their
 * line numbers kept. A record is held in memory while it is parsed (one line at a time).
 */
final class JsonlReader implements CorpusReader {
  private static final JsonFactory JSON = new JsonFactory();
  private final ReadOptions options;

  JsonlReader(ReadOptions options) {
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
        boolean anyLine = false;
        while ((line = lines.readLine()) != null) {
          lineNo++;
          anyLine = true;
          if (line.isBlank()) {
            report.emptyDocuments++;
            continue;
          }
          String where = file.display() + ":" + lineNo;
          String value;
          try {
            value = textOf(line);
          } catch (JsonProcessingException e) {
            bad(report, where, "malformed JSON (" + e.getOriginalMessage() + ")", "fix the line");
            continue;
          } catch (BadRecord e) {
            bad(report, where, e.getMessage(), e.fix);
            continue;
          }
          if (value.isEmpty()) {
            report.emptyDocuments++;
            continue;
          }
          sink.document(value);
          report.documents++;
        }
        if (!anyLine) report.skipped = "empty file";
      } finally {
        report.replacedChars += text.replaced();
      }
    }
  }

  private void bad(FileReport report, String where, String what, String fix) throws BadInputException {
    if (options.badRecords() == ReadOptions.BadRecords.FAIL) {
      throw new BadInputException(where + ": " + what + "; " + fix + ", or pass --bad-records skip to skip and count such lines");
    }
    report.skipRecord(where.substring(where.lastIndexOf(':') + 1) + ": " + what);
  }

  private static final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;
    final String fix;

    BadRecord(String message, String fix) {
      super(message, null, false, false);
      this.fix = fix;
    }
  }

  private String textOf(String line) throws IOException, BadRecord {
    String field = options.textField();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new BadRecord("not a JSON object", "each line must be one {...} object");
      String value = null;
      boolean seen = false;
      List<String> keys = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(field)) {
          seen = true;
          if (v == JsonToken.VALUE_STRING) value = p.getText();
          else if (v == JsonToken.VALUE_NULL) value = null;
          else {
            p.skipChildren();
            throw new BadRecord("field \"" + field + "\" is " + v.asString() + ", not a string", "pass --text-field with a string field");
          }
        } else {
          if (keys.size() < 8) keys.add(name);
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) throw new BadRecord("malformed JSON object", "fix the line");
      if (p.nextToken() != null) throw new BadRecord("trailing data after the JSON object", "put one object per line");
      if (!seen) {
        throw new BadRecord("no \"" + field + "\" field (keys: " + String.join(", ", keys) + ")",
            "pass --text-field with the key that holds the text");
      }
      if (value == null) throw new BadRecord("\"" + field + "\" is null", "fix the record");
      return value;
    }
  }
}
