package saturn.ngram.format;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import saturn.ngram.CsrMatrix;

/**
 * Writes a CSR matrix as scipy's {@code save_npz} does, so {@code scipy.sparse.load_npz(path)} reads it: a zip of
 * {@code indices.npy} (int32), {@code indptr.npy} (int64), {@code format.npy} (0-d bytes {@code b'csr'}),
 * {@code shape.npy} (int64, 2) and {@code data.npy} (float32). NPY format version 1.0, little-endian.
 */
public final class NpzWriter {
  private NpzWriter() {}

  public static void write(CsrMatrix m, Path file) throws IOException {
    try (OutputStream fo = Files.newOutputStream(file);
         ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(fo, 1 << 20))) {
      zip.setLevel(1);
      entry(zip, "indices.npy", "<i4", "(" + m.nnz() + ",)", out -> {
        for (int v : m.colIds()) out.writeInt(Integer.reverseBytes(v));
      });
      entry(zip, "indptr.npy", "<i8", "(" + m.rowOffsets().length + ",)", out -> {
        for (long v : m.rowOffsets()) out.writeLong(Long.reverseBytes(v));
      });
      entry(zip, "format.npy", "|S3", "()", out -> out.write("csr".getBytes(StandardCharsets.US_ASCII)));
      entry(zip, "shape.npy", "<i8", "(2,)", out -> {
        out.writeLong(Long.reverseBytes(m.rows()));
        out.writeLong(Long.reverseBytes(m.cols()));
      });
      entry(zip, "data.npy", "<f4", "(" + m.nnz() + ",)", out -> {
        for (float v : m.values()) out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
      });
    }
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void entry(ZipOutputStream zip, String name, String dtype, String shape, Body body) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new NonClosing(zip), 1 << 16));
    out.write(npyHeader(dtype, shape));
    body.write(out);
    out.flush();
    zip.closeEntry();
  }

  /** NPY 1.0 header: magic, version, little-endian header length, dict padded with spaces to a multiple of 64. */
  static byte[] npyHeader(String dtype, String shape) {
    String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[10 + hb.length];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (hb.length & 0xFF);
    out[9] = (byte) (hb.length >>> 8);
    System.arraycopy(hb, 0, out, 10, hb.length);
    return out;
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
