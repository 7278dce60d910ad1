package saturn.ingest.read;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands what the user named (files, directories, globs) into corpus files in a fixed order: arguments in the order
 * given, files under a directory or glob sorted by path. Files in directories whose extension is not a corpus format
 * are skipped and listed; hidden files and directories are ignored.
 */
public final class CorpusInputs {
  /** A file left out before reading, and why. */
  public record Skipped(String path, String reason) {}

  /** The expansion: files to read (with the name that identifies them in the artifact id) and files left out. */
  public record Expanded(List<CorpusFile> files, List<String> names, List<Skipped> skipped) {}

  private CorpusInputs() {}

  public static Expanded expand(List<String> args, InputFormat override) throws IOException {
    Map<Path, CorpusFile> files = new LinkedHashMap<>();
    Map<Path, String> names = new LinkedHashMap<>();
    List<Skipped> skipped = new ArrayList<>();
    for (String arg : args) {
      if (isGlob(arg)) {
        Path base = globBase(arg);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + arg);
        List<Path> found = walk(base, arg);
        int matched = 0;
        for (Path p : found) {
          if (!m.matches(p.normalize())) continue;
          matched++;
          add(p, base.relativize(p).toString(), p.normalize().toString(), override, true, files, names, skipped);
        }
        if (matched == 0) throw new BadInputException(arg + ": the pattern matches no files; check it (quote it so the shell does not expand it)");
        continue;
      }
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        List<Path> found = walk(p, arg);
        if (found.isEmpty()) throw new BadInputException(arg + ": empty directory; pass a directory with corpus files");
        String dirName = p.toAbsolutePath().normalize().getFileName() == null ? "" : p.toAbsolutePath().normalize().getFileName() + "/";
        for (Path f : found) add(f, dirName + p.relativize(f), f.toString(), override, true, files, names, skipped);
      } else if (Files.exists(p)) {
        if (!Files.isRegularFile(p)) throw new BadInputException(arg + ": not a regular file or directory; pass corpus files");
        add(p, p.getFileName().toString(), arg, override, false, files, names, skipped);
      } else {
        throw new BadInputException(arg + ": no such file or directory; check the path");
      }
    }
    List<String> nameList = new ArrayList<>();
    for (Path k : files.keySet()) nameList.add(names.get(k));
    return new Expanded(List.copyOf(files.values()), nameList, skipped);
  }

  private static void add(Path p, String name, String display, InputFormat override, boolean fromDir,
      Map<Path, CorpusFile> files, Map<Path, String> names, List<Skipped> skipped) {
    Path key = p.toAbsolutePath().normalize();
    if (files.containsKey(key)) return;
    InputFormat f = override != null ? override : InputFormat.ofName(p.getFileName().toString());
    if (f == null) {
      if (fromDir) {
        skipped.add(new Skipped(display, "not a corpus file extension (.txt, .jsonl, .arrow, .parquet, .lines.txt, each optionally .gz/.zst); pass --format to read it anyway"));
        return;
      }
      f = InputFormat.TXT; // a file named explicitly is read as text (binary content is still detected and skipped)
    }
    files.put(key, new CorpusFile(p, display, f));
    names.put(key, name.replace('\\', '/'));
  }

  private static List<Path> walk(Path root, String arg) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) return out;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) out.add(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof AccessDeniedException) {
          throw new BadInputException(file + ": not readable (permission denied); fix its permissions or leave it out of " + arg);
        }
        throw exc;
      }
    });
    out.sort(null);
    return out;
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /** The longest leading directory of a glob that has no glob characters. */
  static Path globBase(String glob) {
    String[] parts = glob.split("/", -1);
    StringBuilder base = new StringBuilder(glob.startsWith("/") ? "/" : "");
    for (int i = 0; i < parts.length - 1; i++) {
      if (isGlob(parts[i])) break;
      if (parts[i].isEmpty()) continue;
      base.append(parts[i]).append('/');
    }
    return Path.of(base.length() == 0 ? "." : base.toString());
  }
}
