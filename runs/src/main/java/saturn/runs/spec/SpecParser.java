package saturn.runs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import saturn.artifact.Hashing;
import saturn.artifact.Json;

/** Reads a pipeline spec from YAML (SnakeYAML's node tree, so every error names its line) and validates it. */
public final class SpecParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  // The values each stage accepts, from the stage modules (one list each).
  private static final List<String> OPTIMIZERS = saturn.lmhead.optim.OptimizerConfig.NAMES;
  private static final List<String> GROK_OPS = saturn.lmhead.GrokSpec.TASKS;
  private static final List<String> PRECISIONS = saturn.lmhead.GrokSpec.PRECISIONS;
  private static final List<String> LOSSES = saturn.lmhead.GrokSpec.LOSSES;

  private SpecParser() {}

  public static RunSpec parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file + ": spec not found; see runs/examples/ for specs to start from");
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), file);
  }

  /** Parses spec text; {@code file} names it in errors and anchors relative corpus paths. */
  public static RunSpec parse(String text, Path file) {
    String fname = file.getFileName().toString();
    SpecNode top = new SpecNode(fname, "", compose(text, fname));
    Map<String, SpecNode> m = top.map(List.of("name", "description", "execution", "corpora", "tokenizers", "ngram",
        "spectra", "models", "grokking", "eval", "report"));
    if (!m.containsKey("name")) throw top.error("missing 'name:' (a short name for the run, e.g. name: quickstart)");
    String name = m.get("name").string();
    if (!NAME.matcher(name).matches()) throw m.get("name").error("name '" + name + "' may use letters, digits, '.', '_' and '-' only");
    String description = m.containsKey("description") ? m.get("description").string() : "";
    RunSpec.Execution exec = execution(m.get("execution"));
    List<RunSpec.Corpus> corpora = corpora(m.get("corpora"), fname);
    List<RunSpec.Tokenizer> tokenizers = tokenizers(m.get("tokenizers"), fname, file);
    if (!corpora.isEmpty() && tokenizers.isEmpty()) throw top.error("corpora need 'tokenizers:' (e.g. tokenizers: [gpt2])");
    RunSpec.Section ngram = section(m.get("ngram"), fname);
    RunSpec.Section spectra = section(m.get("spectra"), fname);
    RunSpec.Section eval = section(m.get("eval"), fname);
    if (spectra != null && ngram == null) throw m.get("spectra").error("spectra needs an 'ngram:' section to take W from");
    if (ngram != null && corpora.isEmpty()) throw m.get("ngram").error("ngram needs 'corpora:'");
    RunSpec.Models models = models(m.get("models"), fname, corpora, tokenizers);
    RunSpec.Grokking grok = grokking(m.get("grokking"), fname);
    if (eval != null && models == null) throw m.get("eval").error("eval needs 'models:' to evaluate (grokking runs record their own accuracy curves)");
    String title = name;
    if (m.containsKey("report") && !m.get("report").isNull()) {
      Map<String, SpecNode> r = m.get("report").map(List.of("title"));
      if (r.containsKey("title")) title = r.get("title").string();
    }
    if (corpora.isEmpty() && grok == null) throw top.error("nothing to run: give 'corpora:' (with tokenizers) or 'grokking:'");
    String sha = Hashing.sha256(Json.canonical(top.json()));
    return new RunSpec(name, description, file, sha, text, exec, List.copyOf(corpora), List.copyOf(tokenizers), ngram,
        spectra, models, grok, eval, new RunSpec.Report(title));
  }

  /** The YAML node tree, with aliases, size and duplicate keys limited; errors name the line. */
  private static Node compose(String text, String fname) {
    Node root;
    try {
      LoaderOptions opts = new LoaderOptions();
      opts.setAllowDuplicateKeys(false);
      opts.setMaxAliasesForCollections(20);
      opts.setCodePointLimit(4 * 1024 * 1024);
      root = new Yaml(opts).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 1;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new SpecException(fname, line, "not valid YAML: " + what.replace('\n', ' '));
    } catch (YAMLException e) {
      throw new SpecException(fname, 1, "not valid YAML: " + String.valueOf(e.getMessage()).replace('\n', ' '));
    }
    if (root == null) throw new SpecException(fname, 1, "the spec is empty; see runs/examples/quickstart.yaml");
    return root;
  }

  /** {@code execution:} the run's defaults for --jobs and --memory. */
  private static RunSpec.Execution execution(SpecNode n) {
    RunSpec.Execution exec = new RunSpec.Execution(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        saturn.stage.Resources.DEFAULT_MEMORY.bytes());
    if (n == null) return exec;
    Map<String, SpecNode> e = n.map(List.of("jobs", "memory"));
    return new RunSpec.Execution(e.containsKey("jobs") ? e.get("jobs").positiveInt() : exec.jobs(),
        e.containsKey("memory") ? e.get("memory").bytes() : exec.memoryBytes());
  }

  /** {@code corpora:} each with a unique name, paths and its ingest options. */
  private static List<RunSpec.Corpus> corpora(SpecNode n, String fname) {
    List<RunSpec.Corpus> corpora = new ArrayList<>();
    if (n != null) {
      Set<String> seen = new HashSet<>();
      for (SpecNode c : n.list()) {
        Map<String, SpecNode> cm = c.map(List.of("name", "path", "paths", "ingest"));
        if (!cm.containsKey("name")) throw c.error("a corpus needs 'name:'");
        String cname = cm.get("name").string();
        if (!NAME.matcher(cname).matches()) throw cm.get("name").error("corpus name '" + cname + "' may use letters, digits, '.', '_' and '-' only");
        if (!seen.add(cname)) throw cm.get("name").error("corpus '" + cname + "' is defined twice");
        if (cm.containsKey("path") == cm.containsKey("paths")) throw c.error("give a corpus either 'path:' or 'paths:'");
        List<String> paths = (cm.containsKey("path") ? cm.get("path") : cm.get("paths")).strings();
        JsonNode ingest = cm.containsKey("ingest") ? options(cm.get("ingest")) : JsonNodeFactory.instance.objectNode();
        corpora.add(new RunSpec.Corpus(cname, paths, ingest, new RunSpec.Where(fname, c.line(), keyLines(cm.get("ingest")))));
      }
    }

    return corpora;
  }

  /** {@code tokenizers:} built-in names, tokenizer.json paths (relative to the spec) or hub ids. */
  private static List<RunSpec.Tokenizer> tokenizers(SpecNode n, String fname, Path file) {
    List<RunSpec.Tokenizer> tokenizers = new ArrayList<>();
    if (n != null) {
      Set<String> seen = new HashSet<>();
      for (SpecNode t : n.listOrOne()) {
        String tname;
        String source;
        if (t.isMap()) {
          Map<String, SpecNode> tm = t.map(List.of("name", "source"));
          if (!tm.containsKey("source")) throw t.error("a tokenizer needs 'source:' (gpt2, a tokenizer.json path or a hub id)");
          source = tm.get("source").string();
          tname = tm.containsKey("name") ? tm.get("name").string() : defaultTokenizerName(source);
        } else {
          source = t.string();
          tname = defaultTokenizerName(source);
        }
        if (!source.equals("gpt2") && !source.startsWith("builtin:")) {
          Path rel = file.toAbsolutePath().getParent().resolve(source).normalize();
          if (Files.exists(rel)) source = rel.toString(); // a path relative to the spec
        }
        if (!NAME.matcher(tname).matches()) throw t.error("tokenizer name '" + tname + "' may use letters, digits, '.', '_' and '-' only; give it 'name:'");
        if (!seen.add(tname)) throw t.error("tokenizer '" + tname + "' is listed twice");
        tokenizers.add(new RunSpec.Tokenizer(tname, source, new RunSpec.Where(fname, t.line())));
      }
    }
    return tokenizers;
  }

  /** {@code models:} the sweep's axes, its checkpoints, the corpora and tokenizers it trains on, train options. */
  private static RunSpec.Models models(SpecNode mn, String fname, List<RunSpec.Corpus> corpora, List<RunSpec.Tokenizer> tokenizers) {
    if (mn == null) return null;
    Map<String, SpecNode> mm = mn.map(List.of("presets", "heads", "optimizers", "seeds", "steps", "checkpoints",
        "checkpoint_every", "checkpoint_log_until", "corpora", "tokenizers", "options"));
    if (corpora.isEmpty()) throw mn.error("models need 'corpora:' to train on");
    List<String> presets = required(mn, mm, "presets").strings();
    List<String> heads = mm.containsKey("heads") ? mm.get("heads").strings() : List.of("softmax");
    checkEach(mm.get("heads"), heads, SpecParser::isHead, "head", "softmax, stablemax, lowrank:R or lowrank:R+stablemax");
    List<String> optimizers = mm.containsKey("optimizers") ? mm.get("optimizers").strings() : List.of("adamw");
    checkEach(mm.get("optimizers"), optimizers, OPTIMIZERS::contains, "optimizer", String.join(", ", OPTIMIZERS));
    List<Long> seeds = mm.containsKey("seeds") ? mm.get("seeds").integers() : List.of(0L);
    long steps = required(mn, mm, "steps").positiveInt();
    RunSpec.Checkpoints ck = checkpoints(mm.get("checkpoints"));
    if (mm.containsKey("checkpoint_every") || mm.containsKey("checkpoint_log_until")) {
      // the same keys as `saturn train --checkpoint-every/--checkpoint-log-until`
      if (mm.containsKey("checkpoints")) throw mm.get("checkpoints").error("give either checkpoints: or checkpoint_every/checkpoint_log_until");
      ck = new RunSpec.Checkpoints(mm.containsKey("checkpoint_every") ? mm.get("checkpoint_every").positiveInt() : 0,
          mm.containsKey("checkpoint_log_until") ? mm.get("checkpoint_log_until").positiveInt() : 0);
    }
    List<String> onCorpora = mm.containsKey("corpora") ? mm.get("corpora").strings() : corpora.stream().map(RunSpec.Corpus::name).toList();
    checkEach(mm.get("corpora"), onCorpora, c -> corpora.stream().anyMatch(x -> x.name().equals(c)), "corpus", "the names under 'corpora:'");
    List<String> onTok = mm.containsKey("tokenizers") ? mm.get("tokenizers").strings() : tokenizers.stream().map(RunSpec.Tokenizer::name).toList();
    checkEach(mm.get("tokenizers"), onTok, t -> tokenizers.stream().anyMatch(x -> x.name().equals(t)), "tokenizer", "the names under 'tokenizers:'");
    JsonNode options = mm.containsKey("options") ? options(mm.get("options")) : JsonNodeFactory.instance.objectNode();
    return new RunSpec.Models(presets, heads, optimizers, seeds, steps, ck, onCorpora, onTok, options,
        new RunSpec.Where(fname, mn.keyLine(), keyLines(mm.get("options"))));
  }

  /** {@code grokking:} the sweep's axes (ops, losses, optimizers, precisions, seeds, epochs) and grok options. */
  private static RunSpec.Grokking grokking(SpecNode gn, String fname) {
    if (gn == null) return null;
    Map<String, SpecNode> gm = gn.map(List.of("ops", "losses", "optimizers", "precisions", "seeds", "epochs", "steps", "checkpoints", "options"));
    if (gm.containsKey("steps")) throw gm.get("steps").error("grokking: 'steps' is now 'epochs' (full-batch epochs, as `saturn grok --epochs`)");
    List<String> ops = gm.containsKey("ops") ? gm.get("ops").strings() : List.of("add");
    checkEach(gm.get("ops"), ops, GROK_OPS::contains, "op", String.join(", ", GROK_OPS));
    List<String> losses = gm.containsKey("losses") ? gm.get("losses").strings() : List.of("softmax");
    checkEach(gm.get("losses"), losses, LOSSES::contains, "loss", "softmax, stablemax");
    List<String> optimizers = gm.containsKey("optimizers") ? gm.get("optimizers").strings() : List.of("adamw");
    checkEach(gm.get("optimizers"), optimizers, OPTIMIZERS::contains, "optimizer", String.join(", ", OPTIMIZERS));
    List<String> precisions = gm.containsKey("precisions") ? gm.get("precisions").strings() : List.of("fp32");
    checkEach(gm.get("precisions"), precisions, PRECISIONS::contains, "precision", "fp16, fp32, fp64");
    List<Long> seeds = gm.containsKey("seeds") ? gm.get("seeds").integers() : List.of(0L);
    long steps = required(gn, gm, "epochs").positiveInt();
    JsonNode options = gm.containsKey("options") ? options(gm.get("options")) : JsonNodeFactory.instance.objectNode();
    return new RunSpec.Grokking(ops, losses, optimizers, precisions, seeds, steps, checkpoints(gm.get("checkpoints")), options,
        new RunSpec.Where(fname, gn.keyLine(), keyLines(gm.get("options"))));
  }

  private static boolean isHead(String h) {
    try {
      saturn.lmhead.HeadSpec.parse(h, true);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String defaultTokenizerName(String source) {
    String s = source.replace('\\', '/');
    if (s.endsWith("/tokenizer.json")) s = s.substring(0, s.length() - "/tokenizer.json".length());
    if (s.endsWith(".json")) s = s.substring(0, s.length() - 5);
    int slash = s.lastIndexOf('/');
    return slash >= 0 ? s.substring(slash + 1) : s;
  }

  private static SpecNode required(SpecNode parent, Map<String, SpecNode> m, String key) {
    SpecNode n = m.get(key);
    if (n == null) throw parent.error("missing '" + key + ":'");
    return n;
  }

  private static RunSpec.Section section(SpecNode n, String fname) {
    if (n == null) return null;
    return new RunSpec.Section(n.isNull() ? JsonNodeFactory.instance.objectNode() : options(n), new RunSpec.Where(fname, n.keyLine(), keyLines(n)));
  }

  /** Line of each key of an options mapping (empty when absent). */
  private static Map<String, Integer> keyLines(SpecNode n) {
    Map<String, Integer> out = new java.util.HashMap<>();
    if (n == null || !n.isMap()) return out;
    n.map().forEach((k, v) -> out.put(k, v.keyLine()));
    return out;
  }

  /** Options mapping; keys are checked by the stage, which reports the line through {@link RunSpec.Where}. */
  private static JsonNode options(SpecNode n) {
    if (n.isNull()) return JsonNodeFactory.instance.objectNode();
    n.map(); // must be a mapping without duplicate keys
    return n.json();
  }

  private static RunSpec.Checkpoints checkpoints(SpecNode n) {
    if (n == null || n.isNull()) return new RunSpec.Checkpoints(0, 0);
    if (n.isScalar()) return new RunSpec.Checkpoints(n.positiveInt(), 0);
    Map<String, SpecNode> c = n.map(List.of("every", "log_until"));
    return new RunSpec.Checkpoints(c.containsKey("every") ? c.get("every").positiveInt() : 0,
        c.containsKey("log_until") ? c.get("log_until").positiveInt() : 0);
  }

  private static void checkEach(SpecNode node, List<String> values, java.util.function.Predicate<String> ok, String what, String expected) {
    if (node == null) return;
    List<SpecNode> items = node.listOrOne();
    for (int i = 0; i < values.size(); i++) {
      if (!ok.test(values.get(i))) {
        throw items.get(i).error("unknown " + what + " '" + values.get(i) + "'; expected " + expected);
      }
    }
  }
}
