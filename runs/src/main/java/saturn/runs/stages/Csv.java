package saturn.runs.stages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the numeric CSV tables the stages write (header line; empty or non-numeric fields are NaN). */
final class Csv {
  final List<String> header;
  final List<double[]> rows = new ArrayList<>();

  private Csv(List<String> header) {
    this.header = header;
  }

  static Csv read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) throw new IOException(file + ": empty table");
    Csv c = new Csv(Arrays.asList(lines.get(0).split(",", -1)));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split(",", -1);
      double[] r = new double[c.header.size()];
      for (int i = 0; i < r.length; i++) {
        try {
          r[i] = i < f.length && !f[i].isEmpty() ? Double.parseDouble(f[i]) : Double.NaN;
        } catch (NumberFormatException e) {
          r[i] = Double.NaN;
        }
      }
      c.rows.add(r);
    }
    return c;
  }

  int col(String name) {
    return header.indexOf(name);
  }

  /** (x, y) of two columns, rows where both are finite; at most {@code maxPoints} (evenly thinned, last kept). */
  double[][] xy(String x, String y, int maxPoints) {
    int ix = col(x);
    int iy = col(y);
    if (ix < 0 || iy < 0) return new double[][] {new double[0], new double[0]};
    List<double[]> pts = new ArrayList<>();
    for (double[] r : rows) if (Double.isFinite(r[ix]) && Double.isFinite(r[iy])) pts.add(new double[] {r[ix], r[iy]});
    int stride = Math.max(1, (int) Math.ceil(pts.size() / (double) maxPoints));
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < pts.size(); i += stride) kept.add(pts.get(i));
    if (!pts.isEmpty() && kept.get(kept.size() - 1) != pts.get(pts.size() - 1)) kept.add(pts.get(pts.size() - 1));
    double[][] out = {new double[kept.size()], new double[kept.size()]};
    for (int i = 0; i < kept.size(); i++) {
      out[0][i] = kept.get(i)[0];
      out[1][i] = kept.get(i)[1];
    }
    return out;
  }
}
