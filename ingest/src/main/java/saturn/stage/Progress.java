package saturn.stage;

/**
 * How far a stage is.
 *
 * @param phase what is being done ({@code tokenize}, {@code count}, {@code train}, ...)
 * @param done units done so far
 * @param total units in all, or -1 when unknown
 * @param unit what a unit is ({@code bytes}, {@code tokens}, {@code steps}, {@code epochs}, {@code checkpoints})
 * @param seconds wall time since the phase began
 * @param detail the phase's own figures for people, e.g. {@code loss 3.2145, 12,345 tokens/s}; may be empty
 */
public record Progress(String phase, long done, long total, String unit, double seconds, String detail) {

  public Progress {
    detail = detail == null ? "" : detail;
  }

  public boolean finished() {
    return total >= 0 && done >= total;
  }

  /** Units per second so far; 0 before there is a rate. */
  public double rate() {
    return seconds > 0 ? done / seconds : 0;
  }

  /** Seconds left at the rate so far; NaN when the total or the rate is not known. */
  public double etaSeconds() {
    if (total < 0 || done <= 0 || seconds <= 0) return Double.NaN;
    return (total - done) * seconds / done;
  }
}
