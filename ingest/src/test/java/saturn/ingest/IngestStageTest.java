package saturn.ingest;

import saturn.stage.StageContext;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.format.TokenShardReader;
import saturn.ingest.read.BadInputException;
import saturn.ingest.read.ReadOptions;
import saturn.ingest.tokenize.CorpusTokenizer;

class IngestStageTest {
  @TempDir Path tmp;

  static List<String> docs(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    String[] words = {"the", "saturn", "rings", "of", "ice", "and", "dust", "orbit", "Cassini", "probe", "42", "ünïcödé", "—", "\n"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder("Doc " + i + ":");
      int len = 5 + r.nextInt(60);
      for (int w = 0; w < len; w++) sb.append(' ').append(words[r.nextInt(words.length)]);
      out.add(sb.toString());
    }
    return out;
  }

  IngestSpec.Builder cfg(Path... inputs) {
    List<String> in = new ArrayList<>();
    for (Path p : inputs) in.add(p.toString());
    return IngestSpec.builder().setInputs(in).setTokenizer("gpt2").optValFraction(0.2).optSeed(7);
  }

  /** Every document's tokens, in order, from both splits, as the tokenizer makes them for the document alone. */
  static void assertRoundTrip(Artifact a, List<String> expectedDocs) throws IOException {
    TokenArtifact t = TokenArtifact.of(a);
    assertEquals(50257, t.vocabSize());
    assertEquals(50256, t.eotToken());
    try (CorpusTokenizer tok = CorpusTokenizer.fromFile(t.tokenizerFile());
         TokenShardReader train = t.open("train"); TokenShardReader val = t.open("val")) {
      assertEquals(expectedDocs.size(), train.documents() + val.documents());
      int ti = 0;
      int vi = 0;
      for (String d : expectedDocs) {
        // the split is by document: a document is in exactly one split, whole
        TokenShardReader r;
        int di;
        long start = ti < train.documents() ? train.documentStart(ti) : -1;
        int[] want = tok.encode(d);
        boolean inTrain = ti < train.documents() && matches(train, ti, want);
        if (inTrain) {
          r = train;
          di = ti++;
        } else {
          r = val;
          di = vi++;
          assertTrue(matches(val, di, want), "document not found in order: " + d + " (train start " + start + ")");
        }
        assertEquals(50256, r.token(r.documentStart(di)));
      }
      assertEquals(train.documents(), ti);
      assertEquals(val.documents(), vi);
    }
  }

  static boolean matches(TokenShardReader r, int doc, int[] want) {
    long s = r.documentStart(doc);
    long e = r.documentEnd(doc);
    if (e - s != want.length + 1) return false;
    for (int i = 0; i < want.length; i++) if (r.token(s + 1 + i) != want[i]) return false;
    return true;
  }

  @Test
  void roundTripEveryFormatInOneArtifact() throws Exception {
    List<String> d = docs(120, 1);
    Path dir = Files.createDirectories(tmp.resolve("corpus"));
    Files.writeString(dir.resolve("a.jsonl"), Fixtures.jsonl(d.subList(0, 30), "text"));
    Fixtures.arrow(dir.resolve("b.arrow"), d.subList(30, 60), false, 7);
    Fixtures.parquet(dir.resolve("c.parquet"), d.subList(60, 90), CompressionCodecName.SNAPPY, 1 << 20);
    StringBuilder lines = new StringBuilder();
    for (String s : d.subList(90, 110)) lines.append("title\t2020-01-01\t").append(s.replace('\n', ' ')).append('\n');
    Fixtures.gzip(dir.resolve("d.lines.txt.gz"), lines.toString().getBytes(StandardCharsets.UTF_8));
    for (int i = 110; i < 120; i++) Fixtures.zstd(dir.resolve("e" + (char) ('a' + i - 110) + ".txt.zst"), d.get(i).getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("notes.bin"), new byte[] {0, 1, 2});
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact a = new IngestStage().run(cfg(dir).build(), StageContext.of(ws));
    List<String> expected = new ArrayList<>(d);
    for (int i = 90; i < 110; i++) expected.set(i, d.get(i).replace('\n', ' '));
    assertRoundTrip(a, expected);
    IngestStats s = saturn.artifact.Json.MAPPER.treeToValue(a.manifest().stats(), IngestStats.class);
    assertEquals(120, s.documents());
    assertEquals(1, s.filesSkipped());
    assertTrue(s.skippedFiles().get(0).path().endsWith("notes.bin"));
    assertTrue(s.valDocuments() > 5 && s.valDocuments() < 50, "val " + s.valDocuments());
    assertEquals(a.manifest().file("tokenizer.json").sha256(), s.tokenizerSha256());
    assertTrue(a.verify().isEmpty());
  }

  private static StageContext threads(Workspace ws, int threads) {
    return StageContext.of(ws).withResources(saturn.stage.Resources.defaults().withThreads(threads));
  }

  @Test
  void deterministicAcrossThreadCountsAndCachedWhenUnchanged() throws Exception {
    Path f = Files.writeString(tmp.resolve("c.jsonl"), Fixtures.jsonl(docs(400, 2), "text"));
    Artifact one = new IngestStage().run(cfg(f).optTokensPerShard(5000).build(), threads(Workspace.open(tmp.resolve("w1")), 1));
    Artifact two = new IngestStage().run(cfg(f).optTokensPerShard(5000).build(), threads(Workspace.open(tmp.resolve("w2")), 2));
    assertEquals(one.id(), two.id());
    assertEquals(one.manifest().files(), two.manifest().files(), "same bytes, file for file");
    assertTrue(one.manifest().files().size() > 4, "several shards: " + one.manifest().files());
    // unchanged corpus: found, not rebuilt
    Workspace w2 = Workspace.open(tmp.resolve("w2"));
    assertEquals(two.manifest().createdAt(), new IngestStage().run(cfg(f).optTokensPerShard(5000).build(), threads(w2, 2)).manifest().createdAt());
    // changed content (same name) or changed seed: a new artifact
    Files.writeString(f, Fixtures.jsonl(docs(401, 2), "text"));
    assertNotEquals(one.id(), new IngestStage().run(cfg(f).optTokensPerShard(5000).build(), threads(w2, 2)).id());
    assertNotEquals(one.id(), new IngestStage().run(cfg(f).optSeed(8).optTokensPerShard(5000).build(), StageContext.of(w2)).id());
  }

  @Test
  void longDocumentsAreCutWithoutChangingTokens() throws Exception {
    StringBuilder sb = new StringBuilder();
    java.util.Random r = new java.util.Random(3);
    while (sb.length() < 50_000) sb.append(r.nextInt(1000)).append(r.nextBoolean() ? " words, and more" : "  spaced\n\nlines ");
    String doc = sb.toString();
    Path f = Files.writeString(tmp.resolve("long.txt"), doc);
    Artifact a = new IngestStage().run(cfg(f).optValFraction(0).optChunkChars(1024).build(), StageContext.of(Workspace.open(tmp.resolve("w"))));
    assertRoundTrip(a, List.of(doc));
    assertEquals(0, a.manifest().stats().get("unsafeCuts").asLong());
  }

  @Test
  void badInputsFailWithOneLineNamingTheFileAndPublishNothing() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertMessage(ws, cfg(empty).build(), "empty: empty directory");
    Path onlyEmpty = Files.createDirectories(tmp.resolve("onlyempty"));
    Files.write(onlyEmpty.resolve("a.txt"), new byte[0]);
    Files.write(onlyEmpty.resolve("b.txt"), new byte[] {0, 0, 0, 1});
    assertMessage(ws, cfg(onlyEmpty).build(), "no documents in ");
    assertMessage(ws, cfg(tmp.resolve("missing.txt")).build(), "missing.txt: no such file or directory");
    Path notTok = Files.writeString(tmp.resolve("tok.json"), "{\"hello\": 1}");
    Path ok = Files.writeString(tmp.resolve("ok.txt"), "fine text");
    assertMessage(ws, cfg(ok).setTokenizer(notTok.toString()).build(), "tok.json: not a HuggingFace tokenizer.json");
    Path garbage = Files.writeString(tmp.resolve("garbage.json"), "not json at all");
    assertMessage(ws, cfg(ok).setTokenizer(garbage.toString()).build(), "garbage.json: not a HuggingFace tokenizer.json (not JSON");
    byte[] gz = Fixtures.gzipBytes("many words here ".repeat(50_000).getBytes(StandardCharsets.UTF_8));
    Path trunc = Files.write(tmp.resolve("t.txt.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
    assertMessage(ws, cfg(ok, trunc).build(), "t.txt.gz: truncated or corrupt gzip stream");
    Path jl = Files.writeString(tmp.resolve("x.jsonl"), "{\"text\": \"a\"}\n{oops\n");
    assertMessage(ws, cfg(jl).build(), "x.jsonl:2: malformed JSON");
    Path latin = Files.write(tmp.resolve("latin.txt"), "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(ws, cfg(latin).optStrict(true).build(), "latin.txt: invalid UTF-8 at byte 3");
    assertTrue(ws.list(null).isEmpty(), "nothing published");
    try (var s = Files.list(ws.root().resolve("tmp"))) {
      assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals("scratch")).toList(), "no debris");
    }
    // the same inputs with the documented way out
    Artifact skipped = new IngestStage().run(cfg(ok, trunc).optSkipBadFiles(true).build(), StageContext.of(ws));
    assertNotNull(skipped.manifest().stats().get("files").get(1).get("damaged").asText());
    Artifact latin1 = new IngestStage().run(cfg(latin).optEncoding("latin1").optValFraction(0).build(), StageContext.of(ws));
    assertRoundTrip(latin1, List.of("café crème"));
    Artifact replaced = new IngestStage().run(cfg(latin).optValFraction(0).build(), StageContext.of(ws));
    assertEquals(2, replaced.manifest().stats().get("replacedChars").asLong());
    assertEquals(2, replaced.manifest().stats().get("files").get(0).get("replacedChars").asLong());
  }

  @Test
  void unreadableFileIsNamed() throws Exception {
    Path f = Files.writeString(tmp.resolve("secret.txt"), "text");
    org.junit.jupiter.api.Assumptions.assumeTrue(f.toFile().setReadable(false) && !Files.isReadable(f), "running as root: cannot make a file unreadable");
    assertMessage(Workspace.open(tmp.resolve("ws")), cfg(f).build(), "secret.txt: not readable (permission denied)");
  }

  static void assertMessage(Workspace ws, IngestSpec c, String start) {
    Exception e = assertThrows(Exception.class, () -> new IngestStage().run(c, StageContext.of(ws)));
    assertTrue(e instanceof IOException || e instanceof IllegalArgumentException, e.toString());
    String m = e.getMessage();
    assertTrue(m.contains(start), "message was: " + m);
    assertFalse(m.contains("\n"), "one line: " + m);
    assertTrue(m.contains("; "), "says what to do: " + m);
  }

  /** Issue 17, case 5: the bytes tokenized are the bytes whose hash entered the id, or the ingest is refused. */
  @Test
  void aFileChangedBetweenHashingAndTokenizingIsRefused() throws Exception {
    Path f = Files.writeString(tmp.resolve("growing.jsonl"), Fixtures.jsonl(docs(50, 3), "text"));
    Workspace ws = Workspace.open(tmp.resolve("w"));
    IngestSpec spec = cfg(f).build();
    IngestStage stage = new IngestStage();
    saturn.artifact.ArtifactSpec identity = stage.identify(ws, spec);
    Files.writeString(f, Fixtures.jsonl(docs(60, 3), "text")); // still being written
    Exception e = assertThrows(saturn.ingest.read.BadInputException.class, () -> stage.make(spec, identity, StageContext.of(ws)));
    assertTrue(e.getMessage().contains("changed since it was hashed"), e.getMessage());
    assertTrue(ws.list(null).isEmpty(), "nothing published");
    // The stream check: what was read does not hash to what was expected.
    saturn.ingest.read.CorpusFile cf = new saturn.ingest.read.CorpusFile(f, "growing.jsonl", saturn.ingest.read.InputFormat.ofName("growing.jsonl"));
    try (var in = cf.open()) {
      in.read(new byte[10]); // a reader that stops early: close() still hashes the rest
    }
    cf.checkUnchanged(Files.size(f), saturn.artifact.Hashing.sha256(f));
    try (var in = cf.open()) {
      in.readAllBytes();
    }
    Exception changed = assertThrows(saturn.ingest.read.BadInputException.class,
        () -> cf.checkUnchanged(Files.size(f) - 1, saturn.artifact.Hashing.sha256("something else")));
    assertTrue(changed.getMessage().contains("changed while it was being ingested"), changed.getMessage());
  }
}
