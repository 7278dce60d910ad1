package saturn.stage;

import java.util.Locale;

/**
 * A number of bytes as people write it: {@code 2g}, {@code 512m}, {@code 1.5g}, {@code 64k}, {@code 2gb} or a plain
 * byte count; binary multiples (k = 1024). The one parser and printer of sizes in saturn (CLI options, run specs,
 * messages).
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

  public ByteSize {
    if (bytes < 0) throw new IllegalArgumentException("a size cannot be negative: " + bytes);
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofGiB(long gib) {
    return new ByteSize(gib << 30);
  }

  /** Parses {@code text}; the message of a failure names it and shows the accepted forms. */
  public static ByteSize parse(String text) {
    if (text == null) throw new IllegalArgumentException("no size given; write e.g. 512m or 8g");
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
    else if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
    long unit = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit > 1) t = t.substring(0, t.length() - 1);
    }
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 512m, 8g or 1.5g");
    }
    if (!(v > 0) || Double.isInfinite(v) || v * unit >= Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is not a positive size; write e.g. 512m, 8g or 1.5g");
    }
    return new ByteSize((long) (v * unit));
  }

  /** The short form people write: {@code 1.5g}, {@code 640m}, {@code 12k}, {@code 100b}. */
  @Override
  public String toString() {
    return format(bytes);
  }

  public static String format(long bytes) {
    if (bytes >= 1L << 40) return trim(bytes / (double) (1L << 40)) + "t";
    if (bytes >= 1L << 30) return trim(bytes / (double) (1L << 30)) + "g";
    if (bytes >= 1L << 20) return trim(bytes / (double) (1L << 20)) + "m";
    if (bytes >= 1L << 10) return trim(bytes / (double) (1L << 10)) + "k";
    return bytes + "b";
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  @Override
  public int compareTo(ByteSize o) {
    return Long.compare(bytes, o.bytes);
  }
}
