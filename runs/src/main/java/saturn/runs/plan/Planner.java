package saturn.runs.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.runs.spec.RunSpec;

/**
 * Turns a spec into a plan: ingest per corpus × tokenizer; n-grams and spectra per corpus × tokenizer (or, with
 * {@code ngram: {per: all}}, one per tokenizer over every corpus); the model sweep; grokking; eval per checkpoint
 * artifact (grokking runs record their own accuracy curves). Labels are paths like {@code train/europarl/gpt2/tiny/softmax/adamw/s0}.
 */
public final class Planner {
  private Planner() {}

  /** Options for planning beyond the spec (used by {@code saturn watch}). */
  public record Options(Map<String, NgramBase> ngramBaseByTokenizer) {
    public static final Options NONE = new Options(Map.of());
  }

  /** An earlier n-gram artifact and the corpora it already counts: only the others are merged into it. */
  public record NgramBase(String artifactId, java.util.Set<String> coveredCorpora) {}

  public static Plan plan(RunSpec spec, StageCatalog catalog) {
    return plan(spec, catalog, Options.NONE);
  }

  public static Plan plan(RunSpec spec, StageCatalog catalog, Options options) {
    List<PlanNode> stages = new ArrayList<>();
    Map<String, String> tokensLabel = ingest(spec, catalog, stages); // "corpus/tokenizer" -> label
    if (spec.ngram() != null) ngram(spec, catalog, options, tokensLabel, stages);
    if (spec.models() != null) models(spec, catalog, tokensLabel, stages);
    if (spec.models() != null && spec.eval() != null && spec.models().presets().size() >= 2) fits(spec, catalog, stages);
    if (spec.grokking() != null) grokking(spec, catalog, stages);
    return new Plan(stages);
  }

  /** One ingest per corpus × tokenizer; returns their labels by "corpus/tokenizer". */
  private static Map<String, String> ingest(RunSpec spec, StageCatalog catalog, List<PlanNode> stages) {
    Path base = spec.file().toAbsolutePath().getParent();
    Map<String, String> tokensLabel = new LinkedHashMap<>();
    for (RunSpec.Corpus c : spec.corpora()) {
      List<String> files = StageCatalog.resolveFiles(c, base);
      for (RunSpec.Tokenizer t : spec.tokenizers()) {
        String label = "ingest/" + c.name() + "/" + t.name();
        stages.add(catalog.ingest(label, c, files, t, tags("corpus", c.name(), "tokenizer", t.name())));
        tokensLabel.put(c.name() + "/" + t.name(), label);
      }
    }
    return tokensLabel;
  }

  /** Counts, W and spectrum per corpus × tokenizer, or per tokenizer over all corpora ({@code per: all}). */
  private static void ngram(RunSpec spec, StageCatalog catalog, Options options, Map<String, String> tokensLabel,
      List<PlanNode> stages) {
    String per = spec.ngram().options().path("per").asText("corpus");
    if (!per.equals("corpus") && !per.equals("all")) throw spec.ngram().where().error("ngram.per must be 'corpus' or 'all', found '" + per + "'");
    RunSpec.Section ngramOptions = withoutKey(spec.ngram(), "per");
    List<String[]> groups = new ArrayList<>(); // {label suffix, corpus tag, tokenizer}
    for (RunSpec.Tokenizer t : spec.tokenizers()) {
      if (per.equals("all")) {
        groups.add(new String[] {"all/" + t.name(), "all", t.name()});
      } else {
        for (RunSpec.Corpus c : spec.corpora()) groups.add(new String[] {c.name() + "/" + t.name(), c.name(), t.name()});
      }
    }
    for (String[] g : groups) {
      List<String> inputs = new ArrayList<>();
      NgramBase prior = per.equals("all") ? options.ngramBaseByTokenizer().get(g[2]) : null;
      for (RunSpec.Corpus c : spec.corpora()) {
        if (!g[1].equals("all") && !g[1].equals(c.name())) continue;
        if (prior != null && prior.coveredCorpora().contains(c.name())) continue;
        inputs.add(tokensLabel.get(c.name() + "/" + g[2]));
      }
      Map<String, String> tg = tags("corpus", g[1], "tokenizer", g[2]);
      String ngramLabel = "ngram/" + g[0];
      if (prior != null && inputs.isEmpty()) {
        stages.add(new ExistingArtifact(ngramLabel, prior.artifactId(), tg)); // nothing new to merge
      } else if (prior != null) {
        String baseLabel = ngramLabel + "@previous";
        stages.add(new ExistingArtifact(baseLabel, prior.artifactId(), tg));
        stages.add(catalog.ngram(ngramLabel, inputs, baseLabel, ngramOptions, tg));
      } else {
        stages.add(catalog.ngram(ngramLabel, inputs, null, ngramOptions, tg));
      }
      String wLabel = ngramLabel;
      PlanNode w = catalog.contextMatrix("w/" + g[0], ngramLabel, ngramOptions, tg);
      if (w != null) {
        stages.add(w);
        wLabel = w.label();
      }
      if (spec.spectra() != null) stages.add(catalog.spectra("spectra/" + g[0], wLabel, spec.spectra(), tg));
    }
  }

  /** The model sweep: a training per point, and its eval when the spec has {@code eval:}. */
  private static void models(RunSpec spec, StageCatalog catalog, Map<String, String> tokensLabel, List<PlanNode> stages) {
    RunSpec.Models m = spec.models();
    List<Long> ck = m.checkpoints().steps(m.steps());
    for (String corpus : m.corpora()) {
      for (String tok : m.tokenizers()) {
        for (String preset : m.presets()) {
          for (String head : m.heads()) {
            for (String opt : m.optimizers()) {
              for (long seed : m.seeds()) {
                String path = corpus + "/" + tok + "/" + preset + "/" + head + "/" + opt + "/s" + seed;
                Map<String, String> tg = tags("corpus", corpus, "tokenizer", tok, "preset", preset, "head", head,
                    "optimizer", opt, "seed", Long.toString(seed));
                String tokens = tokensLabel.get(corpus + "/" + tok);
                StageCatalog.ModelPoint p = new StageCatalog.ModelPoint(corpus, tok, preset, head, opt, seed, m.steps(), ck);
                stages.add(catalog.train("train/" + path, tokens, p, m, tg));
                if (spec.eval() != null) stages.add(catalog.eval("eval/" + path, "train/" + path, tokens, spec.eval(), tg));
              }
            }
          }
        }
      }
    }
  }

  /** A scaling-law fit per sweep group over the evals of every size (and seed). */
  private static void fits(RunSpec spec, StageCatalog catalog, List<PlanNode> stages) {
    // One fit per corpus/tokenizer/head/optimizer over the evals of every size (and seed).
    for (var g : fitGroups(spec).entrySet()) {
      String[] p = g.getKey().split("/");
      PlanNode fit = catalog.fit("fit/" + g.getKey(), g.getValue(), tags("corpus", p[0], "tokenizer", p[1], "head", p[2], "optimizer", p[3]));
      if (fit != null) stages.add(fit);
    }
  }

  /** The grokking sweep: one run per point. */
  private static void grokking(RunSpec spec, StageCatalog catalog, List<PlanNode> stages) {
    RunSpec.Grokking g = spec.grokking();
    List<Long> ck = g.checkpoints().steps(g.steps());
    for (String op : g.ops()) {
      for (String loss : g.losses()) {
        for (String opt : g.optimizers()) {
          for (String prec : g.precisions()) {
            for (long seed : g.seeds()) {
              String path = op + "/" + loss + "/" + opt + "/" + prec + "/s" + seed;
              Map<String, String> tg = tags("task", op, "loss", loss, "optimizer", opt, "precision", prec, "seed", Long.toString(seed));
              stages.add(catalog.grok("grok/" + path, new StageCatalog.GrokPoint(op, loss, opt, prec, seed, g.steps(), ck), g, tg));
            }
          }
        }
      }
    }
  }

  private static Map<String, List<String>> fitGroups(RunSpec spec) {
    RunSpec.Models m = spec.models();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String corpus : m.corpora()) for (String tok : m.tokenizers()) for (String head : m.heads()) for (String opt : m.optimizers()) {
      List<String> evals = new ArrayList<>();
      for (String preset : m.presets()) for (long seed : m.seeds()) evals.add("eval/" + corpus + "/" + tok + "/" + preset + "/" + head + "/" + opt + "/s" + seed);
      groups.put(corpus + "/" + tok + "/" + head + "/" + opt, evals);
    }
    return groups;
  }

  private static RunSpec.Section withoutKey(RunSpec.Section s, String key) {
    ObjectNode o = s.options().deepCopy();
    o.remove(key);
    return new RunSpec.Section(o, s.where());
  }

  static Map<String, String> tags(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }
}
