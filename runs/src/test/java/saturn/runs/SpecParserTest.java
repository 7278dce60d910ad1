package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.SpecException;
import saturn.runs.spec.SpecParser;

class SpecParserTest {
  private static final Path F = Path.of("spec.yaml");

  private static SpecException fails(String yaml) {
    return assertThrows(SpecException.class, () -> SpecParser.parse(yaml, F));
  }

  @Test
  void errorsNameTheLine() {
    String base = """
        name: x
        corpora:
          - name: a
            path: a.txt
        tokenizers: [gpt2]
        """;
    SpecException e = fails(base + "models:\n  presets: [tiny]\n  heads: [softmax, sofmax]\n  steps: 10\n");
    assertEquals(8, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("spec.yaml:8: models.heads[1]: unknown head 'sofmax'"), e.getMessage());

    e = fails(base + "ngram: {order: 5}\nspectrum: {rank: 4}\n");
    assertEquals(7, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'spectrum'"), e.getMessage());

    e = fails(base + "models:\n  presets: [tiny]\n  steps: ten\n");
    assertEquals(8, e.line(), e.getMessage());

    e = fails(base + "models:\n  presets: [tiny]\n  steps: 10\n  optimizer: adamw\n");
    assertEquals(9, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'optimizer'"), e.getMessage());

    e = fails("name: x\ncorpora:\n  - name: a\n    path: [a.txt\n");
    assertTrue(e.line() >= 4, e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());

    e = fails("name: x\nname: y\n");
    assertEquals(2, e.line(), e.getMessage());

    e = fails(base + "models:\n  presets: [tiny]\n  steps: 10\n  corpora: [nope]\n");
    assertEquals(9, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown corpus 'nope'"), e.getMessage());

    e = fails(base.replace("path: a.txt", "path: a.txt\n    paths: [b.txt]"));
    assertEquals(3, e.line(), e.getMessage());
  }

  @Test
  void specHashIgnoresCommentsAndLayout() {
    RunSpec a = SpecParser.parse("name: x\n# comment\ngrokking: {epochs: 100, ops: [add]}\n", F);
    RunSpec b = SpecParser.parse("name: x\ngrokking:\n  ops: add\n  epochs: 100\n", F);
    RunSpec c = SpecParser.parse("name: x\ngrokking: {epochs: 101, ops: [add]}\n", F);
    assertEquals(a.grokking().ops(), b.grokking().ops());
    assertNotEquals(a.sha256(), c.sha256());
    assertEquals(List.of(25L, 50L, 75L, 100L), new RunSpec.Checkpoints(25, 0).steps(100));
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 50L, 64L), new RunSpec.Checkpoints(50, 32).steps(64));
  }

  @Test
  void examplesParse() throws Exception {
    Path dir = Path.of("examples");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> specs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertTrue(specs.size() >= 4, "expected the four example specs in " + dir.toAbsolutePath());
      for (Path p : specs) {
        RunSpec r = SpecParser.parse(p);
        assertTrue(!r.name().isEmpty(), p.toString());
      }
    }
  }

  @Test
  void relativeGlobsResolveAgainstTheSpec(@TempDir Path tmp) throws Exception {
    Path spec = TestSpecs.pipeline(tmp, "");
    RunSpec r = SpecParser.parse(spec);
    var files = saturn.runs.plan.StageCatalog.resolveFiles(new RunSpec.Corpus("g", List.of("corpora/*.txt"), null, null), tmp);
    assertEquals(2, files.size());
    SpecException e = assertThrows(SpecException.class, () -> saturn.runs.plan.StageCatalog.resolveFiles(
        new RunSpec.Corpus("g", List.of("nothing/*.gz"), null, new RunSpec.Where("spec.yaml", 4)), tmp));
    assertTrue(e.getMessage().startsWith("spec.yaml:4:"), e.getMessage());
    assertEquals(2, r.corpora().size());
  }
}
