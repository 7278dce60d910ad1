package saturn.ingest.read;

import java.util.Locale;

/** Corpus file formats, recognised by extension (after a .gz or .zst suffix is removed). */
public enum InputFormat {
  TXT, JSONL, ARROW, PARQUET, LINEDOC;

  /** The format of a file name, or null when the extension is not a corpus format. */
  public static InputFormat ofName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) n = n.substring(0, n.length() - 3);
    else if (n.endsWith(".zst")) n = n.substring(0, n.length() - 4);
    else if (n.endsWith(".zstd")) n = n.substring(0, n.length() - 5);
    if (n.endsWith(".lines.txt") || n.endsWith(".linedoc") || n.endsWith(".linedoc.txt")) return LINEDOC;
    if (n.endsWith(".txt") || n.endsWith(".text")) return TXT;
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) return JSONL;
    if (n.endsWith(".arrow") || n.endsWith(".feather") || n.endsWith(".ipc")) return ARROW;
    if (n.endsWith(".parquet") || n.endsWith(".pq")) return PARQUET;
    return null;
  }

  public CorpusReader reader(ReadOptions options) {
    return switch (this) {
      case TXT -> new TxtReader(options);
      case JSONL -> new JsonlReader(options);
      case ARROW -> new ArrowIpcReader(options);
      case PARQUET -> new ParquetTextReader(options);
      case LINEDOC -> new LineDocReader(options);
    };
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
