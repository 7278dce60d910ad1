package saturn.spectra.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import saturn.ngram.CsrMatrix;

/**
 * Writes a CSR matrix the way {@code scipy.sparse.save_npz} does (a zip of .npy arrays: data, indices, indptr,
 * format, shape), so {@code scipy.sparse.load_npz} reads it. Used by the benchmark to time scipy on the same W.
 */
public final class NpzExport {
  private NpzExport() {}

  public static void write(CsrMatrix w, Path file) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      zip.setLevel(0);
      entry(zip, "data.npy", "<f4", "(" + w.nnz() + ",)", w.nnz() * 4L, out -> {
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : w.values()) {
          if (bb.remaining() < 4) flush(bb, out);
          bb.putFloat(v);
        }
        flush(bb, out);
      });
      entry(zip, "indices.npy", "<i4", "(" + w.nnz() + ",)", w.nnz() * 4L, out -> {
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : w.colIds()) {
          if (bb.remaining() < 4) flush(bb, out);
          bb.putInt(v);
        }
        flush(bb, out);
      });
      entry(zip, "indptr.npy", "<i8", "(" + (w.rows() + 1) + ",)", (w.rows() + 1) * 8L, out -> {
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : w.rowOffsets()) {
          if (bb.remaining() < 8) flush(bb, out);
          bb.putLong(v);
        }
        flush(bb, out);
      });
      entry(zip, "format.npy", "<U3", "()", 12, out -> {
        ByteBuffer bb = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (char c : "csr".toCharArray()) bb.putInt(c);
        flush(bb, out);
      });
      entry(zip, "shape.npy", "<i8", "(2,)", 16, out -> {
        ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(w.rows()).putLong(w.cols());
        flush(bb, out);
      });
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void entry(ZipOutputStream zip, String name, String dtype, String shape, long bytes, Body body)
      throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    pre.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    pre.putShort((short) header.length());
    zip.write(pre.array());
    zip.write(header.getBytes(StandardCharsets.US_ASCII));
    body.write(zip);
    zip.closeEntry();
  }

  private static void flush(ByteBuffer bb, OutputStream out) throws IOException {
    out.write(bb.array(), 0, bb.position());
    bb.clear();
  }
}
