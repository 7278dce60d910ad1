package saturn.spectra.format;

import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The spectrum artifact's files: {@code spectrum.arrow} (Arrow IPC file; one row per rank d = 1..k with columns
 * rank, sigma, sigma2, w_error, accuracy; the scalars of the run in the schema metadata, including the format name and
 * version) and {@code spectrum.csv} (the same table as text). Integrity: the artifact manifest holds each file's
 * sha256, checked before reading.
 */
public final class SpectrumFormat {
  public static final String FORMAT = "saturn.spectrum";
  public static final int VERSION_START = 1;
  public static final int VERSION_CURRENT = 1;
  public static final String ARROW_FILE = "spectrum.arrow";
  public static final String CSV_FILE = "spectrum.csv";
  public static final String W_ERROR_CHART = "w_error";
  public static final String SPECTRUM_CHART = "spectrum";

  static final String META_FORMAT = "saturn.format";
  static final String META_VERSION = "saturn.format_version";

  static final List<String> COLUMNS = List.of("rank", "sigma", "sigma2", "w_error", "accuracy");

  private SpectrumFormat() {}

  static List<Field> fields() {
    ArrowType f64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    return List.of(
        new Field("rank", FieldType.notNullable(new ArrowType.Int(32, true)), null),
        new Field("sigma", FieldType.notNullable(f64), null),
        new Field("sigma2", FieldType.notNullable(f64), null),
        new Field("w_error", FieldType.notNullable(f64), null),
        new Field("accuracy", FieldType.notNullable(f64), null));
  }
}
