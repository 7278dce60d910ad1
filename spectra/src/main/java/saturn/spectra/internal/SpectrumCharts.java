package saturn.spectra.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** W-error and normalised-spectrum charts (XChart; PNG via Java2D, SVG via VectorGraphics2D). */
public final class SpectrumCharts {
  /** One curve: a label and σ_1..σ_k with ||W||_F². */
  public record Curve(String label, double[] sigma, double[] wError) {}

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

  private SpectrumCharts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Writes {@code <base>.png} and {@code <base>.svg}: W_err(d) against d on a log axis, thresholds dashed. */
  public static void writeWError(List<Curve> curves, String title, Path base) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("rank d (log scale)").yAxisTitle("W-error  sqrt(1 - sum_{i<=d} sigma_i^2 / ||W||_F^2)").build();
    style(chart);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    int maxK = 1;
    for (int c = 0; c < curves.size(); c++) {
      Curve cv = curves.get(c);
      int k = cv.wError().length - 1;
      if (k < 1) continue;
      maxK = Math.max(maxK, k);
      double[] x = new double[k];
      double[] y = new double[k];
      for (int d = 1; d <= k; d++) {
        x[d - 1] = d;
        y[d - 1] = cv.wError()[d];
      }
      XYSeries s = chart.addSeries(cv.label(), x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(PALETTE[c % PALETTE.length]);
      s.setLineStyle(new BasicStroke(2f));
    }
    for (double t : saturn.spectra.WErrorCurve.THRESHOLDS) {
      XYSeries s = chart.addSeries("W_err = " + t, new double[] {1, Math.max(2, maxK)}, new double[] {t, t});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(new Color(0x999999));
      s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      s.setShowInLegend(t == saturn.spectra.WErrorCurve.THRESHOLDS[0]);
      if (t == saturn.spectra.WErrorCurve.THRESHOLDS[0]) s.setLabel("thresholds 0.6 / 0.5 / 0.25 / 0.1");
    }
    save(chart, base);
  }

  /** Writes {@code <base>.png} and {@code <base>.svg}: σ_i / σ_1 against i, both axes logarithmic. */
  public static void writeSpectrum(List<Curve> curves, String title, Path base) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("index i (log scale)").yAxisTitle("sigma_i / sigma_1 (log scale)").build();
    style(chart);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    for (int c = 0; c < curves.size(); c++) {
      Curve cv = curves.get(c);
      int k = 0;
      while (k < cv.sigma().length && cv.sigma()[k] > 0) k++; // log axis: exact zeros are not drawn
      if (k < 1) continue;
      double[] x = new double[k];
      double[] y = new double[k];
      for (int i = 0; i < k; i++) {
        x[i] = i + 1;
        y[i] = cv.sigma()[i] / cv.sigma()[0];
      }
      XYSeries s = chart.addSeries(cv.label(), x, y);
      s.setMarker(k <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      s.setMarkerColor(PALETTE[c % PALETTE.length]);
      s.setLineColor(PALETTE[c % PALETTE.length]);
      s.setLineStyle(new BasicStroke(2f));
    }
    save(chart, base);
  }

  private static void style(XYChart chart) {
    org.knowm.xchart.style.XYStyler st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideS);
    st.setLegendLayout(Styler.LegendLayout.Vertical);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotGridLinesColor(new Color(0xe0e0e0));
    st.setPlotBorderVisible(false);
    st.setChartTitleBoxVisible(false);
    st.setLegendBorderColor(Color.WHITE);
    chart.getStyler().setAntiAlias(true);
  }

  private static void save(XYChart chart, Path base) throws IOException {
    BitmapEncoder.saveBitmapWithDPI(chart, base.toString() + ".png", BitmapEncoder.BitmapFormat.PNG, 144);
    VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString() + ".svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
  }
}
