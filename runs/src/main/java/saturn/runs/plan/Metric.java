package saturn.runs.plan;

import java.util.Map;
import java.util.TreeMap;

/**
 * A named figure a stage produced: a series of (x, y) points (loss vs step, W-error vs rank) or a scalar (x empty).
 * Labels say what it belongs to (corpus, tokenizer, preset, head, ...).
 */
public record Metric(String name, Map<String, String> labels, double[] x, double[] y) {
  public Metric {
    labels = new TreeMap<>(labels);
    if (x.length != y.length && x.length != 0) throw new IllegalArgumentException(name + ": x and y differ in length");
  }

  public static Metric series(String name, Map<String, String> labels, double[] x, double[] y) {
    return new Metric(name, labels, x, y);
  }

  public static Metric scalar(String name, Map<String, String> labels, double value) {
    return new Metric(name, labels, new double[0], new double[] {value});
  }

  public boolean isScalar() {
    return x.length == 0;
  }

  /** The last value (the scalar itself, or the final point of a series). */
  public double last() {
    return y.length == 0 ? Double.NaN : y[y.length - 1];
  }
}
