package saturn.runs.spec;

import java.time.Duration;
import java.util.Locale;

/** Durations as written in specs and options ({@code 90s}, {@code 6h}) and as printed. Sizes are {@link saturn.stage.ByteSize}. */
public final class Durations {
  private Durations() {}

  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.length() < 2) throw badDuration(text);
    char unit = s.charAt(s.length() - 1);
    long n;
    try {
      n = Long.parseLong(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      throw badDuration(text);
    }
    if (n <= 0) throw badDuration(text);
    return switch (unit) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> throw badDuration(text);
    };
  }

  private static IllegalArgumentException badDuration(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 90s, 30m, 6h or 1d");
  }

  public static String formatSeconds(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1fs", s);
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
  }
}
