package saturn.runs.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import saturn.ingest.DefaultCorpus;

/** Corpora that ship inside saturn ({@code builtin:NAME} in a spec), as files the ingest stage reads and hashes. */
public final class BuiltinCorpora {
  public static final List<String> NAMES = List.of("europarl");

  private BuiltinCorpora() {}

  /** The file of a built-in corpus; fails naming the ones there are. */
  public static Path file(String name) {
    if (!name.equals("europarl")) throw new IllegalArgumentException("no built-in corpus '" + name + "'; built in: " + NAMES);
    try {
      return DefaultCorpus.path();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the built-in corpus " + name + ": " + e.getMessage(), e);
    }
  }
}
