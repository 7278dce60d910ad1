package saturn.runs.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands a path or glob ({@code corpora/*.txt.gz}, {@code books/**}) relative to a base directory, sorted. */
public final class Globs {
  private Globs() {}

  public static List<Path> expand(Path base, String pattern) {
    Path p = Path.of(pattern);
    Path abs = (p.isAbsolute() ? p : base.resolve(p)).normalize();
    if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[") && !pattern.contains("{")) {
      if (Files.isRegularFile(abs)) return List.of(abs);
      if (Files.isDirectory(abs)) return filesUnder(abs, null);
      return List.of();
    }
    // Walk from the longest directory prefix without wildcards.
    Path root = abs.getRoot();
    Path fixed = root;
    for (Path part : abs) {
      String s = part.toString();
      if (s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{")) break;
      fixed = fixed == null ? part : fixed.resolve(part);
    }
    if (fixed == null || !Files.isDirectory(fixed)) return List.of();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + abs.toString().replace("\\", "\\\\"));
    return filesUnder(fixed, m);
  }

  private static List<Path> filesUnder(Path dir, PathMatcher m) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).filter(f -> m == null || m.matches(f))
          .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
