package saturn.ingest.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page codecs without Hadoop. parquet-java's own factory wraps every codec in Hadoop's codec interfaces
 * (and so needs Hadoop's configuration machinery on the class path); these call snappy-java, zstd-jni,
 * java.util.zip and aircompressor directly. Covers what HF datasets and pyarrow write: snappy (default), zstd, gzip,
 * lz4_raw, uncompressed.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
  public static final ParquetCodecs INSTANCE = new ParquetCodecs();

  private ParquetCodecs() {}

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        return BytesInput.from(ParquetCodecs.compress(codec, bytes.toByteArray()));
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
        return BytesInput.from(ParquetCodecs.decompress(codec, bytes.toByteArray(), decompressedSize));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
          throws IOException {
        byte[] in = new byte[compressedSize];
        input.get(in);
        output.put(ParquetCodecs.decompress(codec, in, decompressedSize));
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  private static void check(CompressionCodecName codec) {
    switch (codec) {
      case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
      default -> throw new IllegalArgumentException("Parquet pages compressed with " + codec
          + " are not supported; rewrite the file with snappy, zstd or gzip (e.g. pyarrow.parquet.write_table(t, f, compression='zstd'))");
    }
  }

  static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
    return switch (codec) {
      case UNCOMPRESSED -> in;
      case SNAPPY -> org.xerial.snappy.Snappy.compress(in);
      case ZSTD -> com.github.luben.zstd.Zstd.compress(in, 3);
      case GZIP -> {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
          out.write(in);
        }
        yield b.toByteArray();
      }
      case LZ4_RAW -> {
        var c = new io.airlift.compress.lz4.Lz4Compressor();
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        yield java.util.Arrays.copyOf(out, n);
      }
      default -> throw new IllegalStateException(codec.name());
    };
  }

  static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
    byte[] out = switch (codec) {
      case UNCOMPRESSED -> in;
      case SNAPPY -> org.xerial.snappy.Snappy.uncompress(in);
      case ZSTD -> com.github.luben.zstd.Zstd.decompress(in, size);
      case GZIP -> {
        try (InputStream g = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
          yield g.readNBytes(size);
        }
      }
      case LZ4_RAW -> {
        byte[] o = new byte[size];
        new io.airlift.compress.lz4.Lz4Decompressor().decompress(in, 0, in.length, o, 0, size);
        yield o;
      }
      default -> throw new IllegalStateException(codec.name());
    };
    if (out.length != size) throw new IOException(codec + " page decompressed to " + out.length + " bytes, expected " + size);
    return out;
  }
}
