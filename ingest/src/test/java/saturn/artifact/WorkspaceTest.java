package saturn.artifact;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
  @TempDir Path tmp;

  record Cfg(int order, String name) {}

  @Test
  void sameSpecSameIdAndCached() throws Exception {
    Workspace ws = Workspace.open(tmp);
    Artifact in = ws.obtain(ArtifactSpec.of("tokens", "t", 1, Map.of(), List.of()), p -> Files.writeString(p.dir().resolve("t.bin"), "abc"));
    ArtifactSpec spec = ArtifactSpec.of("demo", "demo-format", 1, new Cfg(5, "x"), List.of(in));
    assertEquals(spec.id(), ArtifactSpec.of("demo", "demo-format", 1, new Cfg(5, "x"), List.of(in)).id());
    assertNotEquals(spec.id(), ArtifactSpec.of("demo", "demo-format", 1, new Cfg(4, "x"), List.of(in)).id());
    assertNotEquals(spec.id(), ArtifactSpec.of("demo", "demo-format", 2, new Cfg(5, "x"), List.of(in)).id());
    assertEquals(in.manifest().contentDigest(), spec.inputDigests().get(in.id()));
    // The same input id with other content (an input rebuilt non-deterministically) is another artifact downstream.
    Manifest other = new Manifest(in.id(), in.stage(), in.manifest().format(), 1, in.manifest().createdAt(), List.of(), Map.of(),
        in.manifest().config(), Map.of(), List.of(new Manifest.FileEntry("t.bin", 3, Hashing.sha256("abd"))), null, Map.of());
    assertNotEquals(spec.id(), ArtifactSpec.of("demo", "demo-format", 1, new Cfg(5, "x"), List.of(new Artifact(in.dir(), other))).id());
    assertThrows(IllegalArgumentException.class, () -> ArtifactSpec.of("demo", "demo-format", 1, new Cfg(5, "x"), List.of(in, in)));
    int[] builds = {0};
    Artifact a = ws.obtain(spec, p -> {
      builds[0]++;
      Files.writeString(p.dir().resolve("a.txt"), "hello");
      p.seed("split", 42).stats(Map.of("n", 1));
    });
    Artifact b = ws.obtain(spec, p -> builds[0]++);
    assertEquals(1, builds[0], "second obtain must find the first artifact");
    assertEquals(a.id(), b.id());
    assertEquals(42L, a.manifest().seeds().get("split"));
    assertEquals(Hashing.sha256(a.dir().resolve("a.txt")), a.manifest().file("a.txt").sha256());
    assertTrue(a.verify().isEmpty());
    assertNotNull(a.manifest().provenance().get("java"));
    assertEquals(a.id(), ws.get(a.id().substring(0, 8)).id());
    assertEquals(a.id(), ws.byId(a.id()).id());
    assertEquals(List.of(in.id()), a.manifest().inputs());
    assertEquals(Map.of(in.id(), in.manifest().contentDigest()), a.manifest().inputDigests());
  }

  @Test
  void verifyReportsDamagePrecisely() throws Exception {
    Workspace ws = Workspace.open(tmp);
    Artifact a = ws.obtain(ArtifactSpec.of("demo", "f", 1, Map.of(), List.of()), p -> {
      Files.writeString(p.dir().resolve("a.txt"), "hello");
      Files.writeString(p.dir().resolve("b.txt"), "world");
    });
    byte[] bytes = Files.readAllBytes(a.dir().resolve("a.txt"));
    bytes[0] ^= 1;
    Files.write(a.dir().resolve("a.txt"), bytes);
    Files.delete(a.dir().resolve("b.txt"));
    Files.writeString(a.dir().resolve("c.txt"), "intruder");
    List<String> problems = a.verify();
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("a.txt: sha256"), problems.get(0));
    assertEquals("b.txt: missing", problems.get(1));
    assertEquals("c.txt: not listed in the manifest", problems.get(2));
    assertThrows(CorruptArtifactException.class, () -> a.verifiedFile("a.txt"));
  }

  @Test
  void abandonedOrCrashedWritesAreNeverPublished() throws Exception {
    Workspace ws = Workspace.open(tmp);
    ArtifactSpec spec = ArtifactSpec.of("demo", "f", 1, Map.of("k", 1), List.of());
    assertThrows(IllegalStateException.class, () -> ws.obtain(spec, p -> {
      Files.writeString(p.dir().resolve("half.txt"), "half");
      throw new IllegalStateException("stage failed");
    }));
    assertTrue(ws.find(spec).isEmpty());
    assertTrue(ws.list(null).isEmpty());
    // A directory left without a manifest (a crash before publication) is ignored, then replaced.
    Files.createDirectories(ws.dirOf(spec.id()));
    Files.writeString(ws.dirOf(spec.id()).resolve("junk"), "x");
    assertTrue(ws.find(spec).isEmpty());
    Artifact a = ws.obtain(spec, p -> Files.writeString(p.dir().resolve("ok.txt"), "ok"));
    assertTrue(a.verify().isEmpty());
    try (var s = Files.list(tmp.resolve("tmp"))) {
      assertEquals(0, s.filter(p -> !p.getFileName().toString().equals("scratch")).count());
    }
  }

  @Test
  void staleTemporaryOfADeadWriterIsRemoved() throws Exception {
    Workspace ws = Workspace.open(tmp);
    Path stale = tmp.resolve("tmp").resolve("demo-00.dead");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("x"), "x");
    Files.writeString(tmp.resolve("tmp").resolve("demo-00.dead.lock"), "");
    ws.removeStaleTemporaries();
    assertFalse(Files.exists(stale));
  }

  @Test
  void unknownAndAmbiguousIdsSayWhatToDo() throws Exception {
    Workspace ws = Workspace.open(tmp);
    ws.obtain(ArtifactSpec.of("demo", "f", 1, Map.of("k", 1), List.of()), p -> {});
    ws.obtain(ArtifactSpec.of("demo", "f", 1, Map.of("k", 2), List.of()), p -> {});
    var e = assertThrows(IllegalArgumentException.class, () -> ws.get("nope"));
    assertTrue(e.getMessage().contains("saturn artifacts list"));
    var amb = assertThrows(IllegalArgumentException.class, () -> ws.get("demo-"));
    assertTrue(amb.getMessage().contains("matches 2"));
  }

  @Test
  void corruptManifestIsNamed() throws Exception {
    Workspace ws = Workspace.open(tmp);
    Artifact a = ws.obtain(ArtifactSpec.of("demo", "f", 1, Map.of(), List.of()), p -> {});
    Files.writeString(a.dir().resolve(Manifest.FILE_NAME), "{ not json");
    var e = assertThrows(CorruptArtifactException.class, () -> ws.list(null));
    assertTrue(e.getMessage().contains("manifest.json"));
  }
}
