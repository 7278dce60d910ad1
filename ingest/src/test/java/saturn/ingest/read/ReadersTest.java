package saturn.ingest.read;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.ingest.Fixtures;

class ReadersTest {
  @TempDir Path tmp;

  static final List<String> DOCS = List.of("First document.\nIt has two lines.", "Second: ünïcödé ✓ and 😀 emoji",
      "Third one", "x".repeat(5000) + " end");

  /** Collects documents as whole strings. */
  static final class Collect implements DocumentSink {
    final List<String> docs = new ArrayList<>();
    StringBuilder cur;

    @Override public void startDocument() { cur = new StringBuilder(); }
    @Override public void text(CharSequence c, int s, int e) { cur.append(c, s, e); }
    @Override public void endDocument() { docs.add(cur.toString()); cur = null; }
  }

  List<String> read(Path p, ReadOptions o, FileReport r) throws IOException {
    CorpusFile f = new CorpusFile(p, p.getFileName().toString(), InputFormat.ofName(p.getFileName().toString()));
    Collect c = new Collect();
    f.format().reader(o).read(f, c, r);
    return c.docs;
  }

  List<String> read(Path p) throws IOException {
    return read(p, ReadOptions.defaults(), new FileReport(p.toString()));
  }

  ReadOptions opts(ReadOptions.SplitTxt split) {
    return new ReadOptions("text", split, StandardCharsets.UTF_8, false, ReadOptions.BadRecords.FAIL);
  }

  @Test
  void txtWholeFileLinesParagraphsAndCrlf() throws IOException {
    Path p = Files.writeString(tmp.resolve("a.txt"), "Para one\r\nstill one\r\n\r\n  \r\nPara two\r\n\r\n\r\nthree");
    assertEquals(List.of("Para one\nstill one\n\n  \nPara two\n\n\nthree"), read(p));
    assertEquals(List.of("Para one", "still one", "  ", "Para two", "three"),
        read(p, opts(ReadOptions.SplitTxt.LINE), new FileReport("a")));
    assertEquals(List.of("Para one\nstill one", "Para two", "three"),
        read(p, opts(ReadOptions.SplitTxt.PARAGRAPH), new FileReport("a")));
  }

  @Test
  void gzipAndZstdByMagicBytes() throws IOException {
    byte[] text = "hello compressed world".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("hello compressed world"), read(Fixtures.gzip(tmp.resolve("a.txt.gz"), text)));
    assertEquals(List.of("hello compressed world"), read(Fixtures.zstd(tmp.resolve("b.txt.zst"), text)));
    // a gzip file without .gz in its name is still decompressed
    assertEquals(List.of("hello compressed world"), read(Fixtures.gzip(tmp.resolve("c.txt"), text)));
  }

  @Test
  void invalidUtf8IsReplacedAndCountedOrStrictFails() throws IOException {
    byte[] bad = {'a', 'b', (byte) 0xff, 'c', (byte) 0xe9, ' ', 'd'};
    Path p = Files.write(tmp.resolve("bad.txt"), bad);
    FileReport r = new FileReport("bad.txt");
    assertEquals(List.of("ab\uFFFDc\uFFFD d"), read(p, ReadOptions.defaults(), r));
    assertEquals(2, r.replacedChars);
    ReadOptions strict = new ReadOptions("text", ReadOptions.SplitTxt.FILE, StandardCharsets.UTF_8, true, ReadOptions.BadRecords.FAIL);
    BadInputException e = assertThrows(BadInputException.class, () -> read(p, strict, new FileReport("x")));
    assertTrue(e.getMessage().startsWith("bad.txt: invalid UTF-8 at byte 2"), e.getMessage());
    assertTrue(e.getMessage().contains("--encoding latin1"), e.getMessage());
    ReadOptions latin1 = new ReadOptions("text", ReadOptions.SplitTxt.FILE, StandardCharsets.ISO_8859_1, true, ReadOptions.BadRecords.FAIL);
    assertEquals(List.of("abÿcé d"), read(p, latin1, new FileReport("x")));
  }

  @Test
  void jsonlTextFieldAndBadLines() throws IOException {
    Path p = Files.writeString(tmp.resolve("d.jsonl"), Fixtures.jsonl(DOCS, "text"));
    assertEquals(DOCS, read(p));
    Path other = Files.writeString(tmp.resolve("e.jsonl"), Fixtures.jsonl(DOCS, "content"));
    BadInputException e = assertThrows(BadInputException.class, () -> read(other));
    assertEquals("e.jsonl:1: no \"text\" field (keys: id, content); pass --text-field with the key that holds the text,"
        + " or pass --bad-records skip to skip and count such lines", e.getMessage());
    ReadOptions content = new ReadOptions("content", ReadOptions.SplitTxt.FILE, StandardCharsets.UTF_8, false, ReadOptions.BadRecords.FAIL);
    assertEquals(DOCS, read(other, content, new FileReport("e")));

    Path broken = Files.writeString(tmp.resolve("f.jsonl"), "{\"text\": \"ok\"}\n{\"text\": \"unterminated\n\n{\"text\": 5}\n{\"text\": \"fine\"}\n");
    BadInputException b = assertThrows(BadInputException.class, () -> read(broken));
    assertTrue(b.getMessage().startsWith("f.jsonl:2: malformed JSON"), b.getMessage());
    ReadOptions skip = new ReadOptions("text", ReadOptions.SplitTxt.FILE, StandardCharsets.UTF_8, false, ReadOptions.BadRecords.SKIP);
    FileReport r = new FileReport("f");
    assertEquals(List.of("ok", "fine"), read(broken, skip, r));
    assertEquals(2, r.skippedRecords);
    assertEquals(1, r.emptyDocuments);
    assertTrue(r.skippedRecordLines.get(0).startsWith("2: malformed JSON"), r.skippedRecordLines.toString());
    assertTrue(r.skippedRecordLines.get(1).startsWith("4: field \"text\" is"), r.skippedRecordLines.toString());
  }

  @Test
  void lineDocWithAndWithoutHeader() throws IOException {
    Path p = Files.writeString(tmp.resolve("x.lines.txt"), "Title A\t2004-01-01\tBody of A\nTitle B\t2004-01-02\tBody\twith tab\n");
    assertEquals(List.of("Body of A", "Body\twith tab"), read(p));
    Path h = Files.writeString(tmp.resolve("y.lines.txt"), "FIELDS_HEADER_INDICATOR###\ttitle\tbody\tdate\nT\tthe body\t2004\n");
    assertEquals(List.of("the body"), read(h));
    Path bad = Files.writeString(tmp.resolve("z.lines.txt"), "T\t2004\tok\nno tabs here\n");
    BadInputException e = assertThrows(BadInputException.class, () -> read(bad));
    assertTrue(e.getMessage().startsWith("z.lines.txt:2: not a line-doc record"), e.getMessage());
  }

  @Test
  void arrowStreamAndFileFormatsAndGzippedStream() throws IOException {
    assertEquals(DOCS, read(Fixtures.arrow(tmp.resolve("s.arrow"), DOCS, false, 3)));
    assertEquals(DOCS, read(Fixtures.arrow(tmp.resolve("f.arrow"), DOCS, true, 3)));
    byte[] raw = Files.readAllBytes(tmp.resolve("s.arrow"));
    assertEquals(DOCS, read(Fixtures.gzip(tmp.resolve("g.arrow.gz"), raw)));
    List<String> withNull = Arrays.asList("a", null, "b");
    Path n = Fixtures.arrow(tmp.resolve("n.arrow"), withNull, false, 10);
    BadInputException e = assertThrows(BadInputException.class, () -> read(n));
    assertTrue(e.getMessage().startsWith("n.arrow row 1: \"text\" is null"), e.getMessage());
    ReadOptions field = new ReadOptions("body", ReadOptions.SplitTxt.FILE, StandardCharsets.UTF_8, false, ReadOptions.BadRecords.FAIL);
    BadInputException f = assertThrows(BadInputException.class, () -> read(n, field, new FileReport("n")));
    assertEquals("n.arrow: no column \"body\" (columns: id, text); pass --text-field with the text column", f.getMessage());
  }

  @Test
  void parquetSnappyZstdAndManyRowGroups() throws IOException {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 3000; i++) many.add("document number " + i + " " + DOCS.get(i % DOCS.size()));
    assertEquals(many, read(Fixtures.parquet(tmp.resolve("a.parquet"), many, CompressionCodecName.SNAPPY, 64 * 1024)));
    assertEquals(DOCS, read(Fixtures.parquet(tmp.resolve("b.parquet"), DOCS, CompressionCodecName.ZSTD, 1 << 20)));
    assertEquals(DOCS, read(Fixtures.parquet(tmp.resolve("c.parquet"), DOCS, CompressionCodecName.GZIP, 1 << 20)));
    ReadOptions skip = new ReadOptions("text", ReadOptions.SplitTxt.FILE, StandardCharsets.UTF_8, false, ReadOptions.BadRecords.SKIP);
    FileReport r = new FileReport("n");
    assertEquals(List.of("a", "b"), read(Fixtures.parquet(tmp.resolve("n.parquet"), Arrays.asList("a", null, "b"),
        CompressionCodecName.UNCOMPRESSED, 1 << 20), skip, r));
    assertEquals(1, r.skippedRecords);
  }

  @Test
  void binaryAndEmptyFilesAreSkippedWithAReason() throws IOException {
    byte[] bin = new byte[4096];
    for (int i = 0; i < bin.length; i++) bin[i] = (byte) (i * 31);
    FileReport r = new FileReport("b");
    assertEquals(List.of(), read(Files.write(tmp.resolve("b.txt"), bin), ReadOptions.defaults(), r));
    assertTrue(r.skipped.startsWith("binary (NUL byte at offset 0)"), r.skipped);
    FileReport e = new FileReport("e");
    assertEquals(List.of(), read(Files.write(tmp.resolve("e.txt"), new byte[0]), ReadOptions.defaults(), e));
    assertEquals("empty file", e.skipped);
    FileReport eg = new FileReport("eg");
    assertEquals(List.of(), read(Fixtures.gzip(tmp.resolve("e.jsonl.gz"), new byte[0]), ReadOptions.defaults(), eg));
    assertEquals("empty file", eg.skipped);
  }

  @Test
  void truncatedGzipAndZstdNameTheFile() throws IOException {
    byte[] text = "some words to compress ".repeat(20000).getBytes(StandardCharsets.UTF_8);
    byte[] gz = Fixtures.gzipBytes(text);
    Path tg = Files.write(tmp.resolve("t.txt.gz"), Arrays.copyOf(gz, gz.length / 2));
    BadInputException e = assertThrows(BadInputException.class, () -> read(tg));
    assertTrue(e.getMessage().startsWith("t.txt.gz: truncated or corrupt gzip stream"), e.getMessage());
    assertTrue(e.getMessage().contains("re-download it"), e.getMessage());
    Path z = Fixtures.zstd(tmp.resolve("full.zst"), text);
    byte[] zb = Files.readAllBytes(z);
    Path tz = Files.write(tmp.resolve("t.txt.zst"), Arrays.copyOf(zb, zb.length / 2));
    BadInputException ez = assertThrows(BadInputException.class, () -> read(tz));
    assertTrue(ez.getMessage().startsWith("t.txt.zst: truncated or corrupt zstd stream"), ez.getMessage());
  }
}
