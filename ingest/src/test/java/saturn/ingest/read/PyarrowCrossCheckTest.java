package saturn.ingest.read;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by pyarrow (what HF datasets uses) read back with the same documents: Parquet with snappy and zstd,
 * Arrow IPC stream (HF's cache format, large_string too) and file format. Skipped when python3 has no pyarrow.
 */
class PyarrowCrossCheckTest {
  @TempDir Path tmp;

  static final String SCRIPT = String.join("\n",
      "import sys, pyarrow as pa, pyarrow.parquet as pq, pyarrow.ipc as ipc",
      "d = sys.argv[1]",
      "docs = ['doc %d: caf\\u00e9 \\u2713 \\U0001F600 ' % i + 'word ' * (i % 50) for i in range(2500)]",
      "t = pa.table({'id': list(range(len(docs))), 'text': docs})",
      "pq.write_table(t, d + '/snappy.parquet', row_group_size=700)",
      "pq.write_table(t, d + '/zstd.parquet', compression='zstd')",
      "with ipc.new_stream(d + '/stream.arrow', t.schema) as w: w.write_table(t, max_chunksize=1000)",
      "lt = t.cast(pa.schema([('id', pa.int64()), ('text', pa.large_string())]))",
      "with ipc.new_stream(d + '/large.arrow', lt.schema) as w: w.write_table(lt, max_chunksize=1000)",
      "with ipc.new_file(d + '/file.arrow', t.schema) as w: w.write_table(t, max_chunksize=1000)",
      "");

  static boolean hasPyarrow() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import pyarrow").redirectErrorStream(true).start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void pyarrowWrittenFilesReadBack() throws Exception {
    Assumptions.assumeTrue(hasPyarrow(), "python3 has no pyarrow; skipped");
    Path script = Files.writeString(tmp.resolve("write.py"), SCRIPT);
    Process p = new ProcessBuilder("python3", script.toString(), tmp.toString()).inheritIO().start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2500; i++) expected.add("doc " + i + ": café ✓ 😀 " + "word ".repeat(i % 50));
    for (String name : List.of("snappy.parquet", "zstd.parquet", "stream.arrow", "large.arrow", "file.arrow")) {
      Path f = tmp.resolve(name);
      CorpusFile cf = new CorpusFile(f, name, InputFormat.ofName(name));
      ReadersTest.Collect c = new ReadersTest.Collect();
      FileReport r = new FileReport(name);
      cf.format().reader(ReadOptions.defaults()).read(cf, c, r);
      assertEquals(expected, c.docs, name);
      assertEquals(0, r.replacedChars, name);
    }
  }
}
