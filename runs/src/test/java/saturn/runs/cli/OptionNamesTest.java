package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The run spec and the CLI use one set of names: every scalar key of every example spec is the kebab-case option of
 * the matching stage's command ({@code batch_size} under {@code models: options:} is {@code saturn train
 * --batch-size}). Sweep axes (lists such as {@code presets}) are the singular option ({@code --preset}).
 */
class OptionNamesTest {
  /** Keys that label the spec itself rather than set an option: the run's name and description, a corpus' name. */
  private static final List<String> LABELS = List.of("name", "description");
  /** A sweep's axis (a list) and the option each of its values is. */
  private static final Map<String, String> AXES = Map.of("presets", "preset", "heads", "head", "optimizers", "optimizer",
      "seeds", "seed", "ops", "op", "losses", "loss", "precisions", "precision");

  @Test
  void everySpecKeyIsTheOptionOfItsStagesCommand() throws Exception {
    List<Path> specs;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      specs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(specs.size() >= 4, specs.toString());
    List<String> checked = new ArrayList<>();
    for (Path spec : specs) {
      Map<String, Object> top = new Yaml().load(Files.readString(spec));
      for (Map.Entry<String, Object> e : top.entrySet()) {
        switch (e.getKey()) {
          case "execution" -> keys(e.getValue(), "run", spec, checked);
          case "corpora" -> {
            for (Object c : (List<?>) e.getValue()) {
              for (Map.Entry<?, ?> ce : ((Map<?, ?>) c).entrySet()) {
                String k = (String) ce.getKey();
                if (k.equals("ingest")) keys(ce.getValue(), "ingest", spec, checked);
                else if (k.equals("path") || k.equals("paths")) positional("ingest", "CORPUS", spec);
                else assertTrue(LABELS.contains(k), spec + ": corpus key " + k);
              }
            }
          }
          case "ngram" -> keys(e.getValue(), "ngram", spec, checked, "per");
          case "spectra" -> keys(e.getValue(), "spectra", spec, checked);
          case "eval" -> keys(e.getValue(), "eval", spec, checked);
          case "report" -> keys(e.getValue(), "report", spec, checked);
          case "models" -> sweep(e.getValue(), "train", spec, checked, "corpora", "tokenizers");
          case "grokking" -> sweep(e.getValue(), "grok", spec, checked);
          case "tokenizers" -> { } // values, not keys: each is an ingest --tokenizer
          default -> assertTrue(LABELS.contains(e.getKey()), spec + ": top-level key " + e.getKey());
        }
      }
    }
    for (String required : List.of("ngram --order", "spectra --rank", "train --steps", "train --batch-size", "train --seq-len",
        "train --eval-interval", "train --checkpoint-every", "eval --eval-tokens", "run --jobs", "run --memory", "report --title")) {
      assertTrue(checked.contains(required), required + " checked: " + checked);
    }
  }

  private static void sweep(Object section, String command, Path spec, List<String> checked, String... planner) {
    for (Map.Entry<?, ?> e : ((Map<?, ?>) section).entrySet()) {
      String k = (String) e.getKey();
      if (List.of(planner).contains(k)) continue; // which corpora and tokenizers the sweep runs on: the planner's
      if (k.equals("options")) {
        keys(e.getValue(), command, spec, checked);
      } else if (e.getValue() instanceof List<?>) {
        option(command, AXES.getOrDefault(k, k), spec, checked);
      } else if (k.equals("checkpoints")) {
        keys(e.getValue(), command, spec, checked); // legacy {every, log_until}: see checkpoint_every
      } else {
        option(command, k, spec, checked);
      }
    }
  }

  private static void keys(Object section, String command, Path spec, List<String> checked, String... planner) {
    if (section == null) return;
    for (Map.Entry<?, ?> e : ((Map<?, ?>) section).entrySet()) {
      String k = (String) e.getKey();
      if (List.of(planner).contains(k)) continue;
      option(command, k.equals("every") ? "checkpoint_every" : k.equals("log_until") ? "checkpoint_log_until" : k, spec, checked);
    }
  }

  private static void option(String command, String key, Path spec, List<String> checked) {
    String option = "--" + key.replace('_', '-');
    CommandLine.Model.CommandSpec cs = command(command).getCommandSpec();
    assertTrue(cs.findOption(option) != null, spec + ": key '" + key + "' has no option " + option + " in `saturn " + command
        + " --help`:\n" + command(command).getUsageMessage());
    assertTrue(command(command).getUsageMessage().contains(option), option);
    checked.add(command + " " + option);
  }

  private static void positional(String command, String label, Path spec) {
    assertEquals(label, command(command).getCommandSpec().positionalParameters().get(0).paramLabel(), spec.toString());
  }

  private static CommandLine command(String path) {
    CommandLine cl = SaturnCommand.commandLine();
    for (String part : path.split(" ")) cl = cl.getSubcommands().get(part);
    return cl;
  }
}
