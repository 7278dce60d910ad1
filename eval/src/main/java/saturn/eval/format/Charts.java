package saturn.eval.format;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts (XChart) written as {@code <name>.svg} and {@code <name>.png}. */
public final class Charts {
  private Charts() {}

  /** Eight distinguishable colours (Tableau 10 minus grey/olive); series of one model share a colour. */
  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  /**
   * One line.
   *
   * @param name legend entry
   * @param colorIndex lines with the same index share a colour (e.g. a model and its law)
   * @param dashed dashed line without markers (for fitted or extrapolated curves)
   */
  public record Series(String name, double[] x, double[] y, int colorIndex, boolean dashed) {}

  /** Writes {@code dir/<stem>.svg} and {@code dir/<stem>.png}; points with non-finite or (on a log axis) non-positive x or y are left out. */
  public static List<Path> line(Path dir, String stem, String title, String xLabel, String yLabel, boolean logX, boolean logY,
      List<Series> series) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler s = chart.getStyler();
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
    chart.getStyler().setMarkerSize(4);
    int added = 0;
    for (Series ser : series) {
      List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
      for (int i = 0; i < ser.x().length; i++) {
        double x = ser.x()[i], y = ser.y()[i];
        if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0) || (logY && y <= 0)) continue;
        xs.add(x);
        ys.add(y);
      }
      if (xs.isEmpty()) continue;
      XYSeries xy = chart.addSeries(uniqueName(chart, ser.name()), xs, ys);
      Color c = PALETTE[Math.floorMod(ser.colorIndex(), PALETTE.length)];
      xy.setLineColor(c);
      xy.setMarkerColor(c);
      if (ser.dashed()) {
        xy.setMarker(SeriesMarkers.NONE);
        xy.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
      } else {
        xy.setMarker(SeriesMarkers.CIRCLE);
        xy.setLineStyle(new BasicStroke(1.6f));
      }
      added++;
    }
    if (added == 0) return List.of(); // nothing plottable (e.g. a single step on a log axis)
    Path svg = dir.resolve(stem + ".svg");
    Path png = dir.resolve(stem + ".png");
    VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return List.of(svg, png);
  }

  private static String uniqueName(XYChart chart, String name) {
    String n = name;
    for (int i = 2; chart.getSeriesMap().containsKey(n); i++) n = name + " (" + i + ")";
    return n;
  }
}
