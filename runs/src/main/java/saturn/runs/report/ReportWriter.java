package saturn.runs.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.runs.plan.Metric;
import saturn.runs.registry.Registry;
import saturn.runs.spec.Durations;

/**
 * Writes {@code report.html} (one self-contained file: Chart.js from its WebJar and the data are inlined, and a
 * Content-Security-Policy forbids any network access) and {@code report.md} for one or more runs, from what the
 * registry recorded. Every string that comes from a corpus, a spec or a config is escaped.
 */
public final class ReportWriter {
  static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";
  static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

  /** One chart of the report: a section, a title, axes and one line per series. */
  record Chart(String section, String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Line> lines) {}

  /** One line of a chart. */
  record Line(String name, double[] x, double[] y, boolean dashed) {}

  /** The sections of the report, in order, with the metric names that feed them and what they mean. */
  static final List<String[]> SECTIONS = List.of(
      new String[] {"W-error curves", "How well any rank-d head could fit the n-gram next-token distribution W of each corpus × tokenizer: the W-error at rank d (lower is better)."},
      new String[] {"Loss vs step", "Validation loss per model size over training, with the fitted scaling law (dashed) and the saturation gap: how far the loss rose above its best."},
      new String[] {"Anisotropy", "Mean cosine similarity of last-layer representations over training; rising anisotropy goes with saturation."},
      new String[] {"LM-head spectra", "Singular values of the LM head at checkpoints and their singular entropy over training."},
      new String[] {"Loss vs head rank", "Final validation loss against the rank of a low-rank head; full softmax/stablemax heads as reference lines."},
      new String[] {"Grokking", "Train and validation accuracy on modular arithmetic over training."},
      new String[] {"Other metrics", "Further series recorded by the stages."});

  private ReportWriter() {}

  /** Writes the report into {@code outDir}; returns the HTML file. */
  public static Path write(Workspace workspace, Registry registry, List<Long> runIds, Path outDir, String title) throws IOException {
    List<Registry.RunRow> runs = new ArrayList<>();
    Map<Long, List<Registry.StageRow>> stages = new LinkedHashMap<>();
    Map<Long, List<Registry.MetricRow>> metrics = new LinkedHashMap<>();
    for (long id : runIds) {
      Registry.RunRow r = registry.run(id).orElseThrow(() -> new IllegalArgumentException("no run " + id + "; `saturn runs list` shows the runs"));
      runs.add(r);
      stages.put(id, registry.stages(id));
      metrics.put(id, registry.metrics(id));
    }
    List<Chart> charts = charts(runs, metrics);
    Files.createDirectories(outDir);
    Path html = outDir.resolve("report.html");
    Path md = outDir.resolve("report.md");
    Path tmp = outDir.resolve("report.html.tmp");
    Files.writeString(tmp, html(title, runs, stages, metrics, charts), StandardCharsets.UTF_8);
    Files.move(tmp, html, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(md, markdown(title, runs, stages, metrics, charts), StandardCharsets.UTF_8);
    return html;
  }

  // ---- charts from metrics ----

  static List<Chart> charts(List<Registry.RunRow> runs, Map<Long, List<Registry.MetricRow>> metrics) {
    boolean multi = runs.size() > 1;
    Map<String, Chart> out = new LinkedHashMap<>();
    // loss vs head rank is derived: final loss of each lowrank head, grouped by everything but the head
    Map<String, TreeMap<Double, Double>> rankPoints = new TreeMap<>();
    Map<String, Double> fullHeads = new TreeMap<>();
    for (Registry.RunRow run : runs) {
      for (Registry.MetricRow row : metrics.getOrDefault(run.id(), List.of())) {
        Metric m = row.metric();
        if (m.isScalar() || m.y().length == 0) continue;
        String who = (multi ? "run " + run.id() + " " : "") + describe(m.labels());
        String name = m.name();
        switch (name) {
          case "w_error" -> add(out, "W-error curves", "W-error vs rank", "rank d", "W-error", true, false, who, m, false);
          case "val_loss", "train_loss" -> {
            String preset = m.labels().getOrDefault("preset", "model");
            add(out, "Loss vs step", "Loss vs step — " + preset, "step", "loss", true, false,
                who + (name.equals("train_loss") ? " (train)" : ""), m, false);
            if (name.equals("val_loss") && m.labels().containsKey("head")) {
              String head = m.labels().get("head");
              Map<String, String> rest = new TreeMap<>(m.labels());
              rest.remove("head");
              String group = (multi ? "run " + run.id() + " " : "") + describe(rest);
              if (head.startsWith("lowrank:")) {
                String r = head.substring("lowrank:".length()).replace("+stablemax", "");
                String g = group + (head.endsWith("+stablemax") ? " +stablemax" : "");
                rankPoints.computeIfAbsent(g, k -> new TreeMap<>()).put(Double.parseDouble(r), m.last());
              } else {
                fullHeads.put(group + " " + head, m.last());
              }
            }
          }
          case "loss_fit" -> add(out, "Loss vs step", "Loss vs step — " + m.labels().getOrDefault("preset", "model"), "step",
              "loss", true, false, who + " (fitted law)", m, true);
          case "w_singular_values" -> add(out, "W-error curves", "Singular values of W", "index", "singular value", true, true, who, m, false);
          case "train_val_loss" -> add(out, "Loss vs step", "Loss vs step — " + m.labels().getOrDefault("preset", "model"), "step",
              "loss", true, false, who + " (val during training)", m, true);
          case "head_effective_rank" -> add(out, "LM-head spectra", "Effective rank of the LM head vs step", "step",
              "effective rank", false, false, who, m, false);
          case "softmax_collapse_fp32" -> add(out, "Other metrics", "Softmax collapse (fp32) vs step", "step",
              "fraction of collapsed rows", false, false, who, m, false);
          case "anisotropy" -> add(out, "Anisotropy", "Anisotropy vs step", "step", "mean cosine similarity", false, false, who, m, false);
          case "head_singular_entropy" -> add(out, "LM-head spectra", "Singular entropy of the LM head vs step", "step",
              "singular entropy", false, false, who, m, false);
          case "head_spectrum" -> {
            Map<String, String> rest = new TreeMap<>(m.labels());
            String step = rest.remove("step");
            String chartKey = (multi ? "run " + run.id() + " " : "") + describe(rest);
            add(out, "LM-head spectra", "LM-head singular values — " + chartKey, "index", "singular value", true, true,
                "step " + (step == null ? "?" : step), m, false);
          }
          case "grok_train_acc", "grok_val_acc" -> add(out, "Grokking", "Grokking — accuracy vs step", "step", "accuracy",
              true, false, who + (name.equals("grok_train_acc") ? " train" : " val"), m, name.equals("grok_train_acc"));
          default -> add(out, "Other metrics", name, "x", name, false, false, who, m, false);
        }
      }
    }
    if (!rankPoints.isEmpty()) {
      List<Line> lines = new ArrayList<>();
      double minR = Double.MAX_VALUE;
      double maxR = 0;
      for (var e : rankPoints.entrySet()) {
        double[] x = e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
        minR = Math.min(minR, x[0]);
        maxR = Math.max(maxR, x[x.length - 1]);
        lines.add(new Line(e.getKey(), x, y, false));
      }
      for (var e : fullHeads.entrySet()) lines.add(new Line(e.getKey(), new double[] {minR, maxR}, new double[] {e.getValue(), e.getValue()}, true));
      out.put("rank", new Chart("Loss vs head rank", "Final validation loss vs LM-head rank", "head rank", "loss", true, false, lines));
    }
    return new ArrayList<>(out.values());
  }

  private static void add(Map<String, Chart> out, String section, String title, String xl, String yl, boolean logX, boolean logY,
      String lineName, Metric m, boolean dashed) {
    Chart c = out.computeIfAbsent(section + "\u0000" + title, k -> new Chart(section, title, xl, yl, logX, logY, new ArrayList<>()));
    boolean positive = true;
    for (double v : m.x()) positive &= v > 0;
    if (!positive && logX) {
      out.put(section + "\u0000" + title, c = new Chart(c.section(), c.title(), xl, yl, false, c.logY(), c.lines()));
    }
    c.lines().add(new Line(lineName, m.x(), m.y(), dashed));
  }

  static String describe(Map<String, String> labels) {
    if (labels.isEmpty()) return "(all)";
    List<String> parts = new ArrayList<>();
    for (var e : labels.entrySet()) parts.add(e.getKey().equals("seed") ? "s" + e.getValue() : e.getValue());
    return String.join(" / ", parts);
  }

  // ---- HTML ----

  static String html(String title, List<Registry.RunRow> runs, Map<Long, List<Registry.StageRow>> stages,
      Map<Long, List<Registry.MetricRow>> metrics, List<Chart> charts) throws IOException {
    StringBuilder h = new StringBuilder(512 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>").append(Html.esc(title)).append(" — saturn report</title>\n<style>\n").append(STYLE).append("</style></head>\n<body>\n");
    h.append("<header><h1>").append(Html.esc(title)).append("</h1><p class=\"sub\">saturn report · generated ")
        .append(Html.esc(java.time.Instant.now().toString())).append(" · ").append(runs.size()).append(runs.size() == 1 ? " run" : " runs")
        .append("</p></header>\n<main>\n");
    h.append("<section><h2>Runs</h2><table><thead><tr><th>run</th><th>name</th><th>status</th><th>started</th><th>time</th>"
        + "<th>stages</th><th>spec</th></tr></thead><tbody>\n");
    for (Registry.RunRow r : runs) {
      List<Registry.StageRow> st = stages.get(r.id());
      h.append("<tr><td>").append(r.id()).append("</td><td>").append(Html.esc(r.name())).append("</td><td class=\"st-")
          .append(Html.esc(r.status())).append("\">").append(Html.esc(r.status())).append("</td><td>").append(Html.esc(r.startedAt()))
          .append("</td><td>").append(r.seconds() == null ? "" : Html.esc(Durations.formatSeconds(r.seconds()))).append("</td><td>")
          .append(Html.esc(countByStatus(st))).append("</td><td><code>").append(Html.esc(shortHash(r.specHash()))).append("</code> ")
          .append(Html.esc(r.specPath())).append("</td></tr>\n");
      if (r.error() != null) h.append("<tr><td></td><td colspan=\"6\" class=\"err\">").append(Html.esc(r.error())).append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");

    int chartNo = 0;
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (String[] sec : SECTIONS) {
      List<Chart> here = charts.stream().filter(c -> c.section().equals(sec[0])).toList();
      if (here.isEmpty() && sec[0].equals("Other metrics")) continue;
      h.append("<section><h2>").append(Html.esc(sec[0])).append("</h2><p class=\"what\">").append(Html.esc(sec[1])).append("</p>\n");
      if (here.isEmpty()) h.append("<p class=\"none\">No run in this report recorded these figures.</p>\n");
      h.append("<div class=\"grid\">\n");
      for (Chart c : here) {
        String id = "chart" + chartNo++;
        int height = 300 + 16 * Math.min(30, c.lines().size()); // room for the legend
        h.append("<figure><div class=\"cv\" style=\"height:").append(height).append("px\"><canvas id=\"").append(id).append("\" role=\"img\" aria-label=\"").append(Html.esc(c.title()))
            .append("\"></canvas></div><figcaption>").append(Html.esc(c.title())).append("</figcaption></figure>\n");
        data.add(chartJson(id, c));
      }
      h.append("</div>\n");
      if (sec[0].equals("Loss vs step")) gapsTable(h, runs, metrics);
      h.append("</section>\n");
    }

    if (runs.size() > 1) configDiff(h, runs, stages);
    h.append("<section><h2>Stages</h2>\n");
    for (Registry.RunRow r : runs) {
      h.append("<details").append(runs.size() == 1 ? " open" : "").append("><summary>run ").append(r.id()).append(" · ")
          .append(Html.esc(r.name())).append("</summary><table><thead><tr><th>stage</th><th>status</th><th>artifact</th><th>time</th>"
              + "<th>config</th></tr></thead><tbody>\n");
      for (Registry.StageRow s : stages.get(r.id())) {
        h.append("<tr><td>").append(Html.esc(s.label())).append("</td><td class=\"st-").append(Html.esc(s.status())).append("\">")
            .append(Html.esc(s.status())).append("</td><td><code>").append(Html.esc(s.artifactId() == null ? "" : s.artifactId()))
            .append("</code></td><td>").append(s.seconds() == null ? "" : Html.esc(Durations.formatSeconds(s.seconds())))
            .append("</td><td><code class=\"cfg\">").append(Html.esc(s.config())).append("</code></td></tr>\n");
        if (s.error() != null) {
          String first = s.error().lines().findFirst().orElse("");
          h.append("<tr><td></td><td colspan=\"4\" class=\"err\">").append(Html.esc(first)).append("</td></tr>\n");
        }
      }
      h.append("</tbody></table></details>\n");
    }
    h.append("</section>\n</main>\n");
    h.append("<footer>Charts: Chart.js 4.4.7 (MIT), inlined. Click a legend entry to hide a line; hover for values.</footer>\n");
    h.append("<script type=\"application/json\" id=\"saturn-data\">").append(Html.scriptJson(data)).append("</script>\n");
    h.append("<script>\n").append(ERROR_TRAP).append("</script>\n");
    h.append("<script>\n").append(chartJs()).append("\n</script>\n");
    h.append("<script>\n").append(INIT).append("</script>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void gapsTable(StringBuilder h, List<Registry.RunRow> runs, Map<Long, List<Registry.MetricRow>> metrics) {
    List<String[]> rows = new ArrayList<>();
    for (Registry.RunRow r : runs) {
      for (Registry.MetricRow row : metrics.getOrDefault(r.id(), List.of())) {
        Metric m = row.metric();
        if (!m.name().equals("val_loss") || m.y().length == 0) continue;
        double best = Double.POSITIVE_INFINITY;
        double bestStep = Double.NaN;
        for (int i = 0; i < m.y().length; i++) {
          if (m.y()[i] < best) {
            best = m.y()[i];
            bestStep = m.x()[i];
          }
        }
        rows.add(new String[] {Long.toString(r.id()), describe(m.labels()), fmt(m.last()), fmt(best), fmt(bestStep), fmt(m.last() - best)});
      }
      for (Registry.MetricRow row : metrics.getOrDefault(r.id(), List.of())) {
        Metric m = row.metric();
        if (m.isScalar() && (m.name().startsWith("fit_") || m.name().equals("saturation_gap"))) {
          rows.add(new String[] {Long.toString(r.id()), describe(m.labels()) + " · " + m.name(), fmt(m.last()), "", "", ""});
        }
      }
    }
    if (rows.isEmpty()) return;
    h.append("<table><thead><tr><th>run</th><th>model</th><th>final loss</th><th>best loss</th><th>at step</th>"
        + "<th>saturation gap</th></tr></thead><tbody>\n");
    for (String[] row : rows) {
      h.append("<tr>");
      for (String c : row) h.append("<td>").append(Html.esc(c)).append("</td>");
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void configDiff(StringBuilder h, List<Registry.RunRow> runs, Map<Long, List<Registry.StageRow>> stages) {
    Map<String, Map<Long, String>> byLabel = new TreeMap<>();
    for (Registry.RunRow r : runs) for (Registry.StageRow s : stages.get(r.id())) byLabel.computeIfAbsent(s.label(), k -> new LinkedHashMap<>()).put(r.id(), s.config());
    h.append("<section><h2>Differences between runs</h2><table><thead><tr><th>stage</th>");
    for (Registry.RunRow r : runs) h.append("<th>run ").append(r.id()).append("</th>");
    h.append("</tr></thead><tbody>\n");
    int n = 0;
    for (var e : byLabel.entrySet()) {
      if (e.getValue().size() == runs.size() && e.getValue().values().stream().distinct().count() == 1) continue;
      n++;
      h.append("<tr><td>").append(Html.esc(e.getKey())).append("</td>");
      for (Registry.RunRow r : runs) {
        String c = e.getValue().get(r.id());
        h.append("<td><code class=\"cfg\">").append(c == null ? "—" : Html.esc(c)).append("</code></td>");
      }
      h.append("</tr>\n");
    }
    if (n == 0) h.append("<tr><td colspan=\"").append(runs.size() + 1).append("\">same stages and configs</td></tr>\n");
    h.append("</tbody></table></section>\n");
  }

  private static ObjectNode chartJson(String id, Chart c) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("title", c.title());
    o.put("xLabel", c.xLabel());
    o.put("yLabel", c.yLabel());
    o.put("logX", c.logX());
    o.put("logY", c.logY());
    ArrayNode lines = o.putArray("lines");
    for (Line l : c.lines()) {
      ObjectNode ln = lines.addObject();
      ln.put("name", l.name());
      ln.put("dashed", l.dashed());
      ArrayNode pts = ln.putArray("points");
      for (int i = 0; i < l.x().length; i++) {
        if (!Double.isFinite(l.x()[i]) || !Double.isFinite(l.y()[i])) continue;
        if (c.logX() && l.x()[i] <= 0) continue;
        if (c.logY() && l.y()[i] <= 0) continue;
        pts.addArray().add(l.x()[i]).add(l.y()[i]);
      }
    }
    return o;
  }

  private static String chartJs() throws IOException {
    try (InputStream in = ReportWriter.class.getClassLoader().getResourceAsStream(CHART_JS)) {
      if (in == null) throw new IOException(CHART_JS + " is not on the class path; rebuild saturn (the chart.js WebJar is a dependency of runs)");
      String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Drop the source-map hint: the report must not ask for any other file.
      return js.replaceAll("//# sourceMappingURL=\\S+", "").replace("</script", "<\\/script");
    }
  }

  // ---- Markdown ----

  static String markdown(String title, List<Registry.RunRow> runs, Map<Long, List<Registry.StageRow>> stages,
      Map<Long, List<Registry.MetricRow>> metrics, List<Chart> charts) {
    StringBuilder m = new StringBuilder();
    m.append("# ").append(Html.md(title)).append("\n\nsaturn report, ").append(runs.size()).append(runs.size() == 1 ? " run" : " runs")
        .append(". Charts are in `report.html` beside this file.\n\n");
    m.append("| run | name | status | started | time | stages |\n|---|---|---|---|---|---|\n");
    for (Registry.RunRow r : runs) {
      m.append("| ").append(r.id()).append(" | ").append(Html.md(r.name())).append(" | ").append(Html.md(r.status())).append(" | ")
          .append(Html.md(r.startedAt())).append(" | ").append(r.seconds() == null ? "" : Durations.formatSeconds(r.seconds())).append(" | ")
          .append(Html.md(countByStatus(stages.get(r.id())))).append(" |\n");
    }
    for (String[] sec : SECTIONS) {
      List<Chart> here = charts.stream().filter(c -> c.section().equals(sec[0])).toList();
      if (here.isEmpty()) continue;
      m.append("\n## ").append(sec[0]).append("\n\n").append(sec[1]).append("\n\n| chart | series | points | last x | last y | min y |\n|---|---|---|---|---|---|\n");
      for (Chart c : here) {
        for (Line l : c.lines()) {
          double min = Double.POSITIVE_INFINITY;
          for (double v : l.y()) if (Double.isFinite(v)) min = Math.min(min, v);
          int n = l.x().length;
          m.append("| ").append(Html.md(c.title())).append(" | ").append(Html.md(l.name())).append(" | ").append(n).append(" | ")
              .append(n == 0 ? "" : fmt(l.x()[n - 1])).append(" | ").append(n == 0 ? "" : fmt(l.y()[n - 1])).append(" | ")
              .append(fmt(min)).append(" |\n");
        }
      }
    }
    List<String> scalars = new ArrayList<>();
    for (Registry.RunRow r : runs) {
      for (Registry.MetricRow row : metrics.getOrDefault(r.id(), List.of())) {
        if (row.metric().isScalar()) {
          scalars.add("| " + r.id() + " | " + Html.md(row.label()) + " | " + Html.md(row.metric().name()) + " | " + fmt(row.metric().last()) + " |");
        }
      }
    }
    if (!scalars.isEmpty()) {
      m.append("\n## Figures\n\n| run | stage | figure | value |\n|---|---|---|---|\n");
      for (String s : scalars) m.append(s).append('\n');
    }
    List<String> failures = new ArrayList<>();
    for (Registry.RunRow r : runs) {
      for (Registry.StageRow s : stages.get(r.id())) {
        if (s.status().equals("failed")) {
          failures.add("- run " + r.id() + " `" + s.label().replace("`", "'") + "`: " + Html.md(s.error() == null ? "" : s.error().lines().findFirst().orElse("")));
        }
      }
    }
    if (!failures.isEmpty()) m.append("\n## Failed stages\n\n").append(String.join("\n", failures)).append('\n');
    return m.toString();
  }

  static String countByStatus(List<Registry.StageRow> st) {
    Map<String, Integer> c = new TreeMap<>();
    for (Registry.StageRow s : st) c.merge(s.status(), 1, Integer::sum);
    List<String> parts = new ArrayList<>();
    c.forEach((k, v) -> parts.add(v + " " + k));
    return String.join(", ", parts);
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) return "";
    if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String shortHash(String h) {
    return h == null ? "" : h.substring(0, Math.min(12, h.length()));
  }

  private static final String STYLE = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
      header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}.sub{margin:4px 0 0;color:#b9c0cc}
      main{padding:8px 28px 28px}section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;margin:16px 0;padding:12px 18px}
      h2{font-size:17px;margin:4px 0 6px}.what{color:#555;margin:0 0 10px}.none{color:#888;font-style:italic}
      .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
      figure{margin:0}.cv{position:relative}figcaption{font-size:12px;color:#555;text-align:center}
      table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid #eceef2;padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#f0f2f5}code{font:12px ui-monospace,monospace}.cfg{word-break:break-all}
      .st-done,.st-cached{color:#18794e}.st-failed,.st-interrupted{color:#c0362c;font-weight:600}.st-skipped{color:#8a6d00}.err{color:#c0362c}
      footer{color:#777;font-size:12px;padding:0 28px 20px}
      """;

  /** Collects script errors and CSP violations into the DOM, so a headless browser's dumped DOM shows them. */
  private static final String ERROR_TRAP = """
      (function(){var errs=[];function note(m){errs.push(String(m));document.documentElement.setAttribute('data-errors',errs.join(' | '));}
      window.addEventListener('error',function(e){note('error: '+(e.message||e.type));});
      window.addEventListener('unhandledrejection',function(e){note('rejection: '+e.reason);});
      document.addEventListener('securitypolicyviolation',function(e){note('blocked by CSP: '+e.blockedURI+' ('+e.violatedDirective+')');});
      document.documentElement.setAttribute('data-errors','');})();
      """;

  private static final String INIT = """
      (function(){
        var data=JSON.parse(document.getElementById('saturn-data').textContent);
        var palette=['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#17becf','#bcbd22','#7f7f7f'];
        var made=0;
        data.forEach(function(c){
          var el=document.getElementById(c.id); if(!el) return;
          var sets=c.lines.map(function(l,i){var col=palette[i%palette.length];return {label:l.name,
            data:l.points.map(function(p){return {x:p[0],y:p[1]};}),borderColor:col,backgroundColor:col,
            borderDash:l.dashed?[6,4]:[],pointRadius:l.points.length>60?0:2,borderWidth:1.6,tension:0};});
          new Chart(el,{type:'line',data:{datasets:sets},options:{animation:false,parsing:false,normalized:true,
            maintainAspectRatio:false,interaction:{mode:'nearest',intersect:false},
            plugins:{legend:{position:'bottom',labels:{boxWidth:12,font:{size:11}}},title:{display:false},
              tooltip:{callbacks:{label:function(ctx){return ctx.dataset.label+': ('+ctx.parsed.x+', '+ctx.parsed.y.toPrecision(4)+')';}}}},
            scales:{x:{type:c.logX?'logarithmic':'linear',title:{display:true,text:c.xLabel}},
                    y:{type:c.logY?'logarithmic':'linear',title:{display:true,text:c.yLabel}}}}});
          made++;
        });
        document.documentElement.setAttribute('data-charts',String(made));
      })();
      """;
}
