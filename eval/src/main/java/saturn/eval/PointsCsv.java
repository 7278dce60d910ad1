package saturn.eval;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads (N, D, loss) points from a CSV with a header. Columns (case-insensitive): {@code params} or {@code n} (total
 * parameters), {@code params_nonembedding} or {@code n_nonembedding}, {@code tokens} or {@code d}, {@code loss};
 * optional {@code model} and {@code step}. At least one parameter column is needed; a point without a model name is
 * named after its row.
 */
public final class PointsCsv {
  private PointsCsv() {}

  public static List<CheckpointLoss> read(Path csv) throws IOException {
    if (!Files.isRegularFile(csv)) throw new IOException(csv + ": no such file; pass --csv with a CSV of (params, tokens, loss)");
    List<CheckpointLoss> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
         CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
             .setCommentMarker('#').build().parse(r)) {
      Map<String, Integer> h = new java.util.HashMap<>();
      p.getHeaderMap().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT).trim(), v));
      Integer total = first(h, "params", "n", "params_total", "n_total");
      Integer nonEmb = first(h, "params_nonembedding", "n_nonembedding", "params_non_embedding", "non_embedding_params");
      Integer tokens = first(h, "tokens", "d");
      Integer loss = first(h, "loss");
      Integer model = first(h, "model");
      Integer step = first(h, "step");
      if ((total == null && nonEmb == null) || tokens == null || loss == null) {
        throw new IllegalArgumentException(csv + ": header " + p.getHeaderNames() + " lacks a parameter column (params or"
            + " params_nonembedding), tokens or loss; see `saturn eval fit --help`");
      }
      for (CSVRecord rec : p) {
        String where = csv + " line " + (rec.getRecordNumber() + 1);
        String name = model == null ? "row" + rec.getRecordNumber() : rec.get(model);
        out.add(new CheckpointLoss(name, num(rec, total, where), num(rec, nonEmb, where),
            step == null || rec.get(step).isEmpty() ? -1 : (long) num(rec, step, where), num(rec, tokens, where), num(rec, loss, where)));
      }
    }
    if (out.isEmpty()) throw new IllegalArgumentException(csv + ": no data rows");
    return out;
  }

  private static Integer first(Map<String, Integer> h, String... names) {
    for (String n : names) if (h.containsKey(n)) return h.get(n);
    return null;
  }

  private static double num(CSVRecord r, Integer col, String where) {
    if (col == null || col >= r.size() || r.get(col).isEmpty()) return Double.NaN;
    try {
      return Double.parseDouble(r.get(col).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + r.get(col) + "' is not a number");
    }
  }
}
