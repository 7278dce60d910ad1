package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.CorruptArtifactException;
import saturn.lmhead.format.SafetensorsReader;
import saturn.lmhead.format.SafetensorsWriter;
import saturn.lmhead.format.Tensor;

class SafetensorsFormatTest {
  static final long SEED = 20240520L; // reproduce with this seed

  static List<Tensor> sample() {
    Random r = new Random(SEED);
    float[] a = new float[3 * 5];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    double[] b = {Math.PI, -0.0, Double.MIN_VALUE};
    return List.of(Tensor.ofFloats("gpt_neox.embed_in.weight", new long[] {3, 5}, a),
        Tensor.ofDoubles("b", new long[] {3}, b), Tensor.ofLongs("step", new long[] {}, new long[] {42}));
  }

  @Test
  void roundTrip(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.safetensors");
    SafetensorsWriter.write(f, Map.of("k", "v"), sample());
    assertEquals(0, (Files.size(f) - 8 - (15 * 4 + 3 * 8 + 8)) % 8, "header padded to 8 bytes");
    SafetensorsReader r = SafetensorsReader.open(f);
    assertEquals("v", r.metadata().get("k"));
    assertEquals("pt", r.metadata().get("format"));
    assertArrayEquals(sample().get(0).toFloatArray(), r.tensor("gpt_neox.embed_in.weight").toFloatArray());
    assertArrayEquals(new long[] {3, 5}, r.tensor("gpt_neox.embed_in.weight").shape());
    assertArrayEquals(sample().get(1).toDoubleArray(), r.tensor("b").toDoubleArray());
    assertArrayEquals(new long[] {42}, r.tensor("step").toLongArray());
  }

  @Test
  void flippedByteIsDetected(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.safetensors");
    SafetensorsWriter.write(f, Map.of(), sample());
    byte[] bytes = Files.readAllBytes(f);
    for (int pos : new int[] {3, bytes.length - 5}) { // header length and the data section
      byte[] bad = bytes.clone();
      bad[pos] ^= 0x40;
      Path g = dir.resolve("bad" + pos + ".safetensors");
      Files.write(g, bad);
      CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> SafetensorsReader.open(g));
      assertEquals(g, e.path());
    }
    Files.write(dir.resolve("short"), new byte[] {1, 2});
    assertThrows(CorruptArtifactException.class, () -> SafetensorsReader.open(dir.resolve("short")));
  }

  @Test
  void halfPrecisionWidensExactly() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001).putShort((short) 0x7BFF).flip();
    float[] v = new Tensor("h", saturn.lmhead.format.SafetensorsFormat.DType.F16, new long[] {4}, b).toFloatArray();
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, 65504f}, v);
  }

  @Test
  void numpyReadsItWithJsonAndStruct(@TempDir Path dir) throws Exception {
    assumeTrue(ReferenceParityTest.pythonHas("numpy"), "python3 with numpy not available");
    Path f = dir.resolve("m.safetensors");
    SafetensorsWriter.write(f, Map.of(), sample());
    String py = """
        import json, struct, sys, numpy as np
        f = open(sys.argv[1], 'rb'); n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n)); d = f.read()
        e = h['gpt_neox.embed_in.weight']; a = np.frombuffer(d[e['data_offsets'][0]:e['data_offsets'][1]], '<f4').reshape(e['shape'])
        print(repr(float(a.astype(np.float64).sum())), a.shape)
        try:
            from safetensors.numpy import load_file
            print('safetensors', load_file(sys.argv[1])['gpt_neox.embed_in.weight'].shape)
        except ImportError:
            pass
        """;
    Process p = new ProcessBuilder("python3", "-c", py, f.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor(), out);
    double sum = 0;
    for (float x : sample().get(0).toFloatArray()) sum += x;
    String[] parts = out.lines().findFirst().orElseThrow().split(" ", 2);
    assertEquals(sum, Double.parseDouble(parts[0]), 1e-9);
    assertEquals("(3, 5)", parts[1]);
  }
}
