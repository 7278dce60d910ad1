package saturn.runs.cli;

import java.io.PrintStream;
import java.util.Locale;
import saturn.stage.Progress;
import saturn.stage.StageListener;

/**
 * How a command shows a stage's progress to a person: on a terminal, a bar redrawn in place; otherwise (a log file,
 * CI) a plain line every {@value #PLAIN_EVERY_SECONDS} s and one when a phase ends, never a carriage return. Notes
 * are lines of their own. {@code --quiet} keeps the notes and drops the progress.
 */
public final class ConsoleListener implements StageListener {
  static final double PLAIN_EVERY_SECONDS = 10;
  private final PrintStream out;
  private final String prefix;
  private final boolean terminal;
  private final boolean quiet;
  private long lastNanos;
  private boolean barShown;

  public ConsoleListener(PrintStream out, String prefix, boolean terminal, boolean quiet) {
    this.out = out;
    this.prefix = prefix;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** On stderr; a bar only when stderr is a terminal (both standard streams attached to one, as far as Java can tell). */
  public static ConsoleListener stderr(String command, boolean quiet) {
    return new ConsoleListener(System.err, "saturn " + command + ": ", System.console() != null, quiet);
  }

  @Override
  public synchronized void note(String line) {
    clearBar();
    out.println(prefix + line);
    out.flush();
  }

  @Override
  public synchronized void progress(Progress p) {
    if (quiet) return;
    long now = System.nanoTime();
    boolean last = p.finished();
    if (terminal) {
      if (!last && now - lastNanos < 200_000_000L) return;
      lastNanos = now;
      int width = 24;
      int fill = p.total() > 0 ? (int) Math.min(width, width * p.done() / p.total()) : 0;
      out.print("\r" + p.phase() + " [" + "#".repeat(fill) + "-".repeat(width - fill) + "] " + line(p) + "\033[K");
      barShown = true;
      if (last) clearBar();
    } else if (last || now - lastNanos >= PLAIN_EVERY_SECONDS * 1e9) {
      lastNanos = now;
      out.println(prefix + p.phase() + " " + line(p));
    }
    out.flush();
  }

  static String line(Progress p) {
    String count = p.total() >= 0 ? String.format(Locale.ROOT, "%,d/%,d %s", p.done(), p.total(), p.unit())
        : String.format(Locale.ROOT, "%,d %s", p.done(), p.unit());
    double eta = p.etaSeconds();
    String time = p.finished() ? String.format(Locale.ROOT, "%.1f s", p.seconds())
        : Double.isNaN(eta) ? "ETA --" : "ETA " + duration(eta);
    return count + (p.detail().isEmpty() ? "" : ", " + p.detail()) + ", " + time;
  }

  static String duration(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
        : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
  }

  private void clearBar() {
    if (barShown) {
      out.print("\r\033[K");
      barShown = false;
    }
  }
}
