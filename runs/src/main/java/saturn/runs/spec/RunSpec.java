package saturn.runs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * A parsed, validated pipeline spec (see runs/README.md, "Spec reference"). PlanNode options stay JSON here; each stage
 * turns them into its own immutable config. Every part remembers its line for error messages.
 *
 * @param file the YAML file (its directory anchors relative corpus paths)
 * @param sha256 hash of the spec's canonical JSON form: whitespace and comments do not change it
 */
public record RunSpec(
    String name,
    String description,
    Path file,
    String sha256,
    String text,
    Execution execution,
    List<Corpus> corpora,
    List<Tokenizer> tokenizers,
    Section ngram,
    Section spectra,
    Models models,
    Grokking grokking,
    Section eval,
    Report report) {

  /**
   * Where to find a problem: the spec file's name and a line, and the lines of the keys of the options mapping that
   * belongs to this part of the spec (so an error about one option names that option's line).
   */
  public record Where(String file, int line, java.util.Map<String, Integer> optionLines) {
    public Where(String file, int line) {
      this(file, line, java.util.Map.of());
    }

    public Where {
      optionLines = java.util.Map.copyOf(optionLines);
    }

    public SpecException error(String message) {
      return new SpecException(file, line, message);
    }

    /** An error about one option: on its own line when known. */
    public SpecException errorAt(String option, String message) {
      return new SpecException(file, optionLines.getOrDefault(option, line), message);
    }
  }

  /** Defaults for {@code saturn run}; command-line options override them. */
  public record Execution(int jobs, long memoryBytes) {}

  /** One corpus: files (globs relative to the spec, or {@code builtin:NAME}) and its ingest options. */
  public record Corpus(String name, List<String> paths, JsonNode ingest, Where where) {}

  /** A tokenizer: a built-in name ({@code gpt2}), a tokenizer.json path or a hub id as the ingest stage accepts. */
  public record Tokenizer(String name, String source, Where where) {}

  /** Options of one stage section ({@code ngram:}, {@code spectra:}, {@code eval:}). */
  public record Section(JsonNode options, Where where) {}

  /**
   * When checkpoints are written (Pythia's schedule): log-spaced steps 1, 2, 4, … up to {@code logUntil}, then every
   * {@code every} steps; the last step always. 0 turns a part off.
   */
  public record Checkpoints(long every, long logUntil) {
    public List<Long> steps(long totalSteps) {
      TreeSet<Long> s = new TreeSet<>();
      for (long k = 1; k <= Math.min(logUntil, totalSteps); k *= 2) s.add(k);
      if (every > 0) for (long k = every; k <= totalSteps; k += every) s.add(k);
      s.add(totalSteps);
      return List.copyOf(s);
    }
  }

  /** The model sweep: presets × heads × optimizers × seeds, on the selected corpora × tokenizers. */
  public record Models(
      List<String> presets,
      List<String> heads,
      List<String> optimizers,
      List<Long> seeds,
      long steps,
      Checkpoints checkpoints,
      List<String> corpora,
      List<String> tokenizers,
      JsonNode options,
      Where where) {}

  /** The grokking sweep: ops × losses × optimizers × precisions × seeds on modular arithmetic. */
  public record Grokking(
      List<String> ops,
      List<String> losses,
      List<String> optimizers,
      List<String> precisions,
      List<Long> seeds,
      long steps,
      Checkpoints checkpoints,
      JsonNode options,
      Where where) {}

  public record Report(String title) {}
}
