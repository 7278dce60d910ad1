package saturn.eval.format;

/**
 * Eval tables: Arrow IPC <em>file</em> format ({@code .arrow}, the Feather v2 layout; {@code pyarrow.feather.read_table}
 * or {@code pandas.read_feather} read it) with the table's kind and format version in the schema metadata, and a CSV
 * twin with the same columns for spreadsheets. Integrity is the artifact manifest's sha256 of each file.
 */
public final class EvalTableFormat {
  private EvalTableFormat() {}

  public static final String META_FORMAT = "saturn.format";
  public static final String META_KIND = "saturn.table";
  public static final String META_VERSION = "saturn.version";
  public static final String FORMAT_NAME = "saturn-eval-table";
  public static final int VERSION_START = 1;
  public static final int VERSION_CURRENT = 1;

  /** Table kinds (file stems). */
  public static final String CHECKPOINTS = "checkpoints";
  public static final String LAYERS = "metrics";
  public static final String HEAD_SPECTRUM = "head_spectrum";
  public static final String POSITIONS = "per_position";
  public static final String VERDICTS = "verdicts";
  public static final String PROBE = "probe_head";
  public static final String POINTS = "points";
}
