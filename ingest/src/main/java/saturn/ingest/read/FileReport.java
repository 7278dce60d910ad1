package saturn.ingest.read;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one input file: documents read, characters replaced, records skipped (with line numbers), or why
 * the whole file was skipped. Filled by readers, written into the manifest.
 */
public final class FileReport {
  /** Line numbers of skipped records kept per file (the count is always exact). */
  public static final int MAX_LINES_KEPT = 20;

  public final String path;
  public String format;
  public String compression = "none";
  public long fileBytes;
  public long documents;
  public long emptyDocuments;
  public long replacedChars;
  public long skippedRecords;
  public final List<String> skippedRecordLines = new ArrayList<>();
  /** Null when read; else why the file was skipped or cut short. */
  public String skipped;
  public String damaged;

  @com.fasterxml.jackson.annotation.JsonCreator
  public FileReport(@com.fasterxml.jackson.annotation.JsonProperty("path") String path) {
    this.path = path;
  }

  public void skipRecord(String where) {
    skippedRecords++;
    if (skippedRecordLines.size() < MAX_LINES_KEPT) skippedRecordLines.add(where);
  }
}
