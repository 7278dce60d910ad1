package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;
import saturn.runs.cli.ExitCodes;
import saturn.runs.cli.CliRun;
import saturn.runs.spec.SpecParser;

/** The registry and report commands through the real command line. */
class RunsCliTest {
  static CliRun saturn(String... args) {
    return CliRun.of(args);
  }

  @Test
  void listShowDiffReport(@TempDir Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "");
    Path wsDir = tmp.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    new Pipeline(ws, new TestCatalog(), quiet).run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    Files.writeString(specFile, Files.readString(specFile).replace("spectra: {rank: 8}", "spectra: {rank: 5}"));
    new Pipeline(ws, new TestCatalog(), quiet).run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    String w = "--workspace=" + wsDir;

    CliRun list = saturn("runs", "list", w);
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("test-pipeline"), list.out());
    assertTrue(list.out().contains("13 cached, 2 done"), list.out());

    CliRun show = saturn("runs", "show", "1", w);
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("spectra/a/gpt2"), show.out());
    assertTrue(show.out().contains("w_error"), show.out());

    CliRun diff = saturn("runs", "diff", "1", "latest", w);
    assertEquals(0, diff.code(), diff.err());
    assertTrue(diff.out().contains("~ spectra/a/gpt2"), diff.out());
    assertTrue(diff.out().contains("rank: 8 -> 5"), diff.out());
    assertTrue(diff.out().contains("w_error"), "metric differences: " + diff.out());
    assertTrue(!diff.out().contains("ingest/a/gpt2"), "unchanged stages are not listed: " + diff.out());

    CliRun report = saturn("report", "1", "2", w, "--out=" + tmp.resolve("r"));
    assertEquals(0, report.code(), report.err());
    assertTrue(Files.isRegularFile(tmp.resolve("r/report.html")));
    assertTrue(Files.readString(tmp.resolve("r/report.md")).contains("W-error curves"));

    CliRun missing = saturn("runs", "show", "99", w);
    assertEquals(ExitCodes.BAD_INPUT, missing.code());
    assertTrue(missing.err().contains("saturn runs list"), missing.err());
  }

  @Test
  void specErrorsNameTheLineOnTheCommandLine(@TempDir Path tmp) throws Exception {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, "name: bad\ngrokking:\n  epochs: 100\n  losses: [softmax, sparsemax]\n");
    CliRun o = saturn("run", spec.toString(), "--workspace=" + tmp.resolve("ws"), "--dry-run");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("bad.yaml:4: grokking.losses[1]: unknown loss 'sparsemax'"), o.err());
  }
}
