package saturn.runs.spec;

import java.time.Duration;
import java.util.Locale;

/** Human sizes and durations as written in specs and options: {@code 512m}, {@code 4g}, {@code 90s}, {@code 6h}. */
public final class Sizes {
  private Sizes() {}

  public static long parseBytes(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    if (s.endsWith("ib")) s = s.substring(0, s.length() - 2);
    else if (s.endsWith("b")) s = s.substring(0, s.length() - 1);
    long mult = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> mult = 1L << 10;
        case 'm' -> mult = 1L << 20;
        case 'g' -> mult = 1L << 30;
        case 't' -> mult = 1L << 40;
        default -> mult = 1;
      }
      if (mult != 1) s = s.substring(0, s.length() - 1);
    }
    try {
      double v = Double.parseDouble(s);
      if (v < 0) throw new NumberFormatException();
      return (long) (v * mult);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 512m, 4g or 1073741824");
    }
  }

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

  public static String formatBytes(long bytes) {
    if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    return String.format(Locale.ROOT, "%d KiB", Math.max(1, bytes >> 10));
  }

  public static String formatSeconds(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1fs", s);
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
  }
}
