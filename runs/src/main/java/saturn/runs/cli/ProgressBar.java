package saturn.runs.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most every 200 ms; {@code done()} ends the line. */
final class ProgressBar {
  private final PrintStream out;
  private final String label;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  void update(long done, long total, String detail) {
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 200_000_000L) return;
    lastDraw = now;
    int width = 30;
    int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
    double elapsed = (now - startNanos) / 1e9;
    double eta = done > 0 ? elapsed * (total - done) / done : Double.NaN;
    out.printf("\r%s [%s%s] %d/%d %s %s ", label, "#".repeat(filled), ".".repeat(width - filled), done, total, detail,
        Double.isNaN(eta) ? "" : "eta " + duration(eta));
    out.flush();
    drawn = true;
  }

  /** Prints a message on its own line without breaking the bar. */
  void message(String m) {
    if (drawn) out.print("\r\033[K");
    out.println(m);
    drawn = false;
  }

  void done() {
    if (drawn) out.println();
    drawn = false;
  }

  static String duration(double s) {
    long x = Math.round(s);
    return x >= 3600 ? String.format("%dh%02dm", x / 3600, x / 60 % 60) : x >= 60 ? String.format("%dm%02ds", x / 60, x % 60) : x + "s";
  }
}
