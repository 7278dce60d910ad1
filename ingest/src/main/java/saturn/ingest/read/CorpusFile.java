package saturn.ingest.read;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * One input file: where it is, how to show it, its format. {@link #open()} decompresses gzip and zstd, recognised by
 * their magic bytes (not the extension), and counts the compressed bytes consumed for progress.
 */
public record CorpusFile(Path path, String display, InputFormat format, AtomicLong bytesRead) {

  public CorpusFile(Path path, String display, InputFormat format) {
    this(path, display, format, new AtomicLong());
  }

  /** Compression by magic bytes: "gzip", "zstd", "none", or another name for formats saturn cannot read. */
  public String compression() throws IOException {
    byte[] head = new byte[6];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (AccessDeniedException e) {
      throw new BadInputException(display + ": not readable (permission denied); fix its permissions or leave it out");
    } catch (NoSuchFileException e) {
      throw new BadInputException(display + ": no such file; check the path");
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return "gzip";
    if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) return "zstd";
    if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') return "xz";
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return "bzip2";
    return "none";
  }

  /** The decompressed content. Damage in the compressed stream surfaces as {@link BadInputException}. */
  public InputStream open() throws IOException {
    String c = compression();
    InputStream raw = new Counting(Files.newInputStream(path), bytesRead);
    return switch (c) {
      case "gzip" -> new Decompressed(new GZIPInputStream(raw, 1 << 16), this, "gzip");
      case "zstd" -> new Decompressed(new com.github.luben.zstd.ZstdInputStream(raw), this, "zstd");
      case "none" -> new BufferedInputStream(raw, 1 << 16);
      default -> {
        raw.close();
        throw new BadInputException(display + ": " + c + "-compressed, which saturn does not read; decompress it or recompress with gzip or zstd");
      }
    };
  }

  private static final class Counting extends FilterInputStream {
    private final AtomicLong counter;

    Counting(InputStream in, AtomicLong counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) counter.incrementAndGet();
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) counter.addAndGet(n);
      return n;
    }
  }

  /** Turns the decompressors' terse errors into a message naming the file, the offset and what to do. */
  private static final class Decompressed extends FilterInputStream {
    private final CorpusFile file;
    private final String kind;

    Decompressed(InputStream in, CorpusFile file, String kind) {
      super(new BufferedInputStream(in, 1 << 16));
      this.file = file;
      this.kind = kind;
    }

    private BadInputException damaged(IOException e) {
      return new BadInputException(file.display() + ": truncated or corrupt " + kind + " stream near compressed byte "
          + String.format("%,d", file.bytesRead().get()) + " (" + e.getMessage()
          + "); the file is incomplete: re-download it, or pass --skip-bad-files to keep what was read and go on", e);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (BadInputException e) {
        throw e;
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (BadInputException e) {
        throw e;
      } catch (IOException e) {
        throw damaged(e);
      }
    }
  }
}
