package saturn.runs.cli;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;

/**
 * How a command picks an input artifact: the one named (id or unique prefix, checked to be of the right stage), or
 * by default the newest one that fits the other inputs. It never takes a mismatching artifact silently: when the
 * newest one does not fit, it takes the newest that does and says so, or refuses listing what there is.
 */
final class InputChoice {
  private static final java.util.Map<String, String> NAMES = java.util.Map.of("tokens", "token artifact",
      "ngram-counts", "n-gram count artifact", "ngrams", "W artifact", "checkpoints", "checkpoint artifact",
      "eval", "eval artifact", "spectrum", "spectrum artifact");
  private static final java.util.Map<String, String> MAKERS = java.util.Map.of("tokens", "saturn ingest CORPUS --tokenizer gpt2",
      "ngram-counts", "saturn ngram", "ngrams", "saturn ngram", "checkpoints", "saturn train", "eval", "saturn eval",
      "spectrum", "saturn spectra");

  private InputChoice() {}

  /**
   * @param given what the user named, or null
   * @param fits which artifacts fit (same corpus, tokenizer, ...); {@code why} says in words what fitting means
   */
  static Artifact pick(Workspace w, String given, String stage, String option, Predicate<Artifact> fits, String why,
      ConsoleListener console) throws IOException {
    if (given != null) {
      Artifact a = w.get(given);
      if (!a.stage().equals(stage)) {
        throw new IllegalArgumentException(option + " " + given + " is a '" + a.stage() + "' artifact; expected a '" + stage
            + "' artifact (`saturn artifacts list --stage " + stage + "`)");
      }
      return a;
    }
    List<Artifact> all = w.list(stage);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no " + name(stage) + " in " + w.root()
          + "; run `" + MAKERS.getOrDefault(stage, "saturn") + "` first or pass " + option + " ID");
    }
    Artifact newest = all.get(all.size() - 1);
    if (fits.test(newest)) {
      console.note("using the newest " + name(stage) + " " + newest.id() + " (pass " + option + " to choose)");
      return newest;
    }
    for (int i = all.size() - 2; i >= 0; i--) {
      if (fits.test(all.get(i))) {
        console.note("using " + all.get(i).id() + ", the newest " + name(stage) + " " + why + "; the newest of all, "
            + newest.id() + ", is not (pass " + option + " to choose)");
        return all.get(i);
      }
    }
    throw new IllegalArgumentException("no " + name(stage) + " " + why + " (there are " + all.size() + ": "
        + all.stream().map(Artifact::id).limit(5).toList() + (all.size() > 5 ? " ..." : "") + "); pass " + option
        + " ID or make a matching one");
  }

  private static String name(String stage) {
    return NAMES.getOrDefault(stage, "'" + stage + "' artifact");
  }

  static Predicate<Artifact> any() {
    return a -> true;
  }
}
