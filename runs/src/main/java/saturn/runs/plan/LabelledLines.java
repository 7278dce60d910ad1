package saturn.runs.plan;

import java.io.PrintStream;
import java.util.Locale;
import saturn.stage.Progress;
import saturn.stage.StageListener;

/**
 * How a pipeline shows one stage: each note on its own line after the stage's label, and progress as a plain line at
 * most every {@value #PROGRESS_EVERY_SECONDS} s and when the phase ends (a log file gets no bars).
 */
final class LabelledLines implements StageListener {
  static final double PROGRESS_EVERY_SECONDS = 15;
  private final PrintStream out;
  private final String label;
  private long lastNanos;

  LabelledLines(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void note(String line) {
    synchronized (out) {
      out.println("      " + label + ": " + line);
    }
  }

  @Override
  public synchronized void progress(Progress p) {
    long now = System.nanoTime();
    if (!p.finished() && now - lastNanos < PROGRESS_EVERY_SECONDS * 1e9) return;
    lastNanos = now;
    String of = p.total() >= 0 ? String.format(Locale.ROOT, "%,d/%,d %s", p.done(), p.total(), p.unit())
        : String.format(Locale.ROOT, "%,d %s", p.done(), p.unit());
    note(p.phase() + " " + of + (p.detail().isEmpty() ? "" : ", " + p.detail()));
  }
}
