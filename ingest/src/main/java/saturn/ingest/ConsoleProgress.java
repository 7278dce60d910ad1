package saturn.ingest;

import java.io.PrintStream;

/**
 * Progress for people: a bar redrawn in place on a terminal (documents, MB/s, tokens/s, ETA), or one plain line every
 * {@code plainEverySeconds} when output goes to a file or CI log. Notes go to the same stream, one line each.
 */
public final class ConsoleProgress implements IngestListener {
  private final PrintStream out;
  private final boolean terminal;
  private final double plainEverySeconds;
  private double lastPlain;
  private boolean barShown;

  public ConsoleProgress(PrintStream out, boolean terminal, double plainEverySeconds) {
    this.out = out;
    this.terminal = terminal;
    this.plainEverySeconds = plainEverySeconds;
  }

  /** Bar when stderr is a terminal, else a line every 10 s. */
  public static ConsoleProgress forStderr() {
    return new ConsoleProgress(System.err, System.console() != null, 10);
  }

  @Override
  public synchronized void note(String line) {
    clearBar();
    out.println(line);
    out.flush();
  }

  @Override
  public synchronized void progress(Progress p) {
    if (terminal) {
      double frac = p.inputBytesTotal() > 0 ? (double) p.inputBytesRead() / p.inputBytesTotal() : 0;
      int width = 24;
      int fill = (int) Math.round(frac * width);
      String bar = "[" + "#".repeat(fill) + "-".repeat(width - fill) + "]";
      out.print("\r" + bar + String.format(" %3.0f%% %s", frac * 100, line(p)) + "  ");
      barShown = true;
      if (p.finished()) {
        clearBar();
        out.println("done: " + line(p));
      }
      out.flush();
    } else if (p.finished() || p.seconds() - lastPlain >= plainEverySeconds) {
      lastPlain = p.seconds();
      out.println((p.finished() ? "done: " : "progress: ") + line(p));
      out.flush();
    }
  }

  static String line(Progress p) {
    double eta = p.etaSeconds();
    return String.format("%,d docs, %,d tokens, %.1f MB/s, %,.0f tokens/s, %s", p.documents(), p.tokens(),
        p.textMegabytesPerSecond(), p.tokensPerSecond(),
        p.finished() ? String.format("%.1f s", p.seconds()) : Double.isNaN(eta) ? "ETA --" : "ETA " + duration(eta));
  }

  static String duration(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : t >= 60 ? String.format("%dm%02ds", t / 60, t % 60) : t + "s";
  }

  private void clearBar() {
    if (barShown) {
      out.print("\r" + " ".repeat(110) + "\r");
      barShown = false;
    }
  }
}
