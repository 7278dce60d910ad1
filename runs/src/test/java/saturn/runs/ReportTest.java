package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;
import saturn.runs.registry.Registry;
import saturn.runs.report.Html;
import saturn.runs.report.ReportWriter;
import saturn.runs.spec.SpecParser;

class ReportTest {
  /** Would run script, close the JSON element, or load something from the network if it were not escaped. */
  static final String HOSTILE = "</script><script>fetch('http://example.invalid/x')</script><img src=x onerror=alert(1)>\"'&";

  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  /** Two runs of a pipeline whose config and report title carry a hostile string; returns the report. */
  static Path hostileReport(Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "report: {title: \"" + HOSTILE.replace("\"", "\\\"") + "\"}\n");
    Files.writeString(specFile, Files.readString(specFile).replace("ingest: {val_fraction: 0.1}",
        "ingest: {val_fraction: 0.1, text_field: \"" + HOSTILE.replace("\"", "\\\"") + "\"}")
        .replace("presets: [tiny]", "presets: [tiny, \"" + HOSTILE.replace("\"", "\\\"") + "\"]"));
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Pipeline p = new Pipeline(ws, new TestCatalog(), QUIET);
    Pipeline.Outcome a = p.run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    assertTrue(a.result().ok());
    Files.writeString(specFile, Files.readString(specFile).replace("seeds: [0]", "seeds: [1]"));
    Pipeline.Outcome b = p.run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    try (Registry r = Registry.open(ws)) {
      return ReportWriter.write(ws, r, List.of(a.runId(), b.runId()), tmp.resolve("report"), "compare " + HOSTILE);
    }
  }

  @Test
  void everyStringIsEscaped(@TempDir Path tmp) throws Exception {
    Path html = hostileReport(tmp);
    String page = Files.readString(html);
    assertFalse(page.contains(HOSTILE), "raw hostile string in the HTML");
    assertFalse(page.contains("<img src=x"), "unescaped markup from a config");
    assertFalse(page.contains("example.invalid/x')</script>"));
    assertTrue(page.contains(Html.esc("compare " + HOSTILE)), "the title is shown, escaped");
    // Exactly the script elements the writer made: JSON data, error trap, Chart.js, init.
    assertEquals(4, count(page, "<script"), "script elements");
    assertTrue(page.contains("Content-Security-Policy"));
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "no external resources");
    String md = Files.readString(html.resolveSibling("report.md"));
    assertFalse(md.contains("<script>"), md);
    assertTrue(md.contains("W-error curves"));
    assertTrue(md.contains("Loss vs head rank"));
    assertTrue(md.contains("Grokking"));
  }

  @Test
  void scriptJsonCannotCloseItsElement() {
    String json = Html.scriptJson(java.util.Map.of("k", "</script><!-- \u2028 & '"));
    assertFalse(json.contains("<"), json);
    assertFalse(json.contains("&"), json);
    assertFalse(json.contains("\u2028"), json);
  }

  /**
   * Opens the report in headless Chromium (Debian's package): the page must render its charts with no script error,
   * no CSP violation (which is what any network request would cause) and no request logged; saves a screenshot.
   */
  @Test
  void rendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
    String chromium = findChromium();
    Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium); skipping the browser check");
    Path html = hostileReport(tmp);
    Path profile = Files.createDirectories(tmp.resolve("profile"));
    List<String> flags = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
        "--window-size=1280,2400");
    List<String> dump = new ArrayList<>(List.of(chromium));
    dump.addAll(flags);
    dump.add("--dump-dom");
    dump.add(html.toUri().toString());
    Result r = exec(dump, tmp.resolve("dump.out"), tmp.resolve("dump.err"));
    assertEquals(0, r.code, r.err);
    Matcher errors = Pattern.compile("data-errors=\"([^\"]*)\"").matcher(r.out);
    assertTrue(errors.find(), "the error trap did not run:\n" + head(r.out));
    assertEquals("", errors.group(1), "script errors or blocked requests in the page");
    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(r.out);
    assertTrue(charts.find(), "charts were not drawn (no data-charts attribute):\n" + head(r.out) + "\n" + r.err);
    assertTrue(Integer.parseInt(charts.group(1)) >= 6, "charts drawn: " + charts.group(1));
    assertFalse(r.out.contains("<img src=x"), "hostile markup became an element");
    for (String line : r.err.split("\n")) {
      assertFalse(line.contains("CONSOLE") && (line.contains("rror") || line.contains("Refused")), "console: " + line);
      assertFalse(line.contains("example.invalid"), "network: " + line);
    }

    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(png);
    List<String> shot = new ArrayList<>(List.of(chromium));
    shot.addAll(flags);
    shot.add("--screenshot=" + png);
    shot.add(html.toUri().toString());
    Result s = exec(shot, tmp.resolve("shot.out"), tmp.resolve("shot.err"));
    assertEquals(0, s.code, s.err);
    assertTrue(Files.size(png) > 20_000, "screenshot too small to show charts: " + Files.size(png));
    System.out.println("report screenshot: " + png);
  }

  record Result(int code, String out, String err) {}

  private static Result exec(List<String> cmd, Path out, Path err) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static String findChromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) return c;
    }
    return null;
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
    return n;
  }

  private static String head(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
