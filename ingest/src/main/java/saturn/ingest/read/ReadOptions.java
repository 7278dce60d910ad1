package saturn.ingest.read;

import java.nio.charset.Charset;

/**
 * How readers interpret their input.
 *
 * @param textField JSONL key / Arrow and Parquet column holding the text
 * @param splitTxt what a document is in a .txt file
 * @param charset the text encoding of txt, jsonl and line-doc files
 * @param strict fail on the first byte sequence that is invalid in {@code charset} instead of replacing it
 * @param badRecords what to do with a malformed JSONL/line-doc line or a record without text
 */
public record ReadOptions(String textField, SplitTxt splitTxt, Charset charset, boolean strict, BadRecords badRecords) {

  /** What a document is in a .txt file. */
  public enum SplitTxt { FILE, LINE, PARAGRAPH }

  /** Policy for malformed records. */
  public enum BadRecords { FAIL, SKIP }

  public static ReadOptions defaults() {
    return new ReadOptions("text", SplitTxt.FILE, java.nio.charset.StandardCharsets.UTF_8, false, BadRecords.FAIL);
  }
}
