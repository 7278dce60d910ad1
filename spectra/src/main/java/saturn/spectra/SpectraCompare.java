package saturn.spectra;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.spectra.format.SpectrumReader;
import saturn.spectra.internal.SpectrumCharts;

/** Overlays several spectrum artifacts: one W-error chart, one spectrum chart, one summary table, one curves table. */
public final class SpectraCompare {
  public static final String TABLE = "compare.csv";
  public static final String CURVES = "compare_curves.csv";
  public static final String W_ERROR_CHART = "compare_w_error";
  public static final String SPECTRUM_CHART = "compare_spectrum";

  /** One row of the summary table. */
  public record Row(String label, String id, Spectrum spectrum) {}

  private SpectraCompare() {}

  /** Labels default to the artifact ids. Writes into {@code outDir} (created) and returns the table rows. */
  public static List<Row> compare(List<Artifact> artifacts, List<String> labels, Path outDir) throws IOException {
    if (artifacts.isEmpty()) throw new IllegalArgumentException("compare needs at least one spectrum artifact");
    if (!labels.isEmpty() && labels.size() != artifacts.size()) {
      throw new IllegalArgumentException("--label given " + labels.size() + " times for " + artifacts.size()
          + " artifacts; give one label per artifact or none");
    }
    Files.createDirectories(outDir);
    List<Row> rows = new ArrayList<>();
    List<SpectrumCharts.Curve> curves = new ArrayList<>();
    for (int i = 0; i < artifacts.size(); i++) {
      Artifact a = artifacts.get(i);
      if (!SpectraStage.STAGE.equals(a.stage())) {
        throw new IllegalArgumentException(a.id() + " is a '" + a.stage() + "' artifact, not a spectrum; run `saturn "
            + "spectra` on it first");
      }
      Spectrum s = SpectrumReader.read(a);
      String label = labels.isEmpty() ? a.id() : labels.get(i);
      rows.add(new Row(label, a.id(), s));
      curves.add(new SpectrumCharts.Curve(label, s.sigma(), s.wError()));
    }
    SpectrumCharts.writeWError(curves, "W-error of the best rank-d approximation", outDir.resolve(W_ERROR_CHART));
    SpectrumCharts.writeSpectrum(curves, "Normalised singular values of W", outDir.resolve(SPECTRUM_CHART));
    try (BufferedWriter out = Files.newBufferedWriter(outDir.resolve(TABLE), StandardCharsets.UTF_8)) {
      out.write(header() + "\n");
      for (Row r : rows) out.write(line(r, ",") + "\n");
    }
    try (BufferedWriter out = Files.newBufferedWriter(outDir.resolve(CURVES), StandardCharsets.UTF_8)) {
      out.write("label,id,rank,sigma,w_error,accuracy\n");
      for (Row r : rows) {
        double[] we = r.spectrum().wError();
        for (int d = 1; d <= r.spectrum().rank(); d++) {
          out.write(csv(r.label()) + "," + r.id() + "," + d + "," + r.spectrum().sigma()[d - 1] + "," + we[d] + ","
              + r.spectrum().accuracy()[d - 1] + "\n");
        }
      }
    }
    return rows;
  }

  public static String header() {
    return "label,id,rows,cols,nnz,non_empty_columns,frobenius_squared,k,sigma_1,w_error_at_k,d_at_0.6,d_at_0.5,"
        + "d_at_0.25,d_at_0.1,max_accuracy";
  }

  public static String line(Row r, String sep) {
    Spectrum s = r.spectrum();
    Map<String, Integer> first = s.firstRankBelow();
    double[] we = s.wError();
    List<String> f = new ArrayList<>(List.of(csv(r.label()), r.id(), Integer.toString(s.rows()), Integer.toString(s.cols()),
        Long.toString(s.nnz()), Integer.toString(s.nonEmptyColumns()), fmt(s.frobeniusSquared()),
        Integer.toString(s.rank()), fmt(s.rank() > 0 ? s.sigma()[0] : 0), fmt(we[we.length - 1])));
    for (Integer d : first.values()) f.add(d == null ? "" : d.toString());
    f.add(String.format(Locale.ROOT, "%.1e", s.maxAccuracy()));
    return String.join(sep, f);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
