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
 * their magic bytes (not the extension), counts the compressed bytes consumed for progress and hashes them, so that
 * {@link #checkUnchanged} can prove that the bytes tokenized are the bytes whose hash entered the artifact id.
 */
public record CorpusFile(Path path, String display, InputFormat format, AtomicLong bytesRead, RawDigest rawDigest) {

  public CorpusFile(Path path, String display, InputFormat format) {
    this(path, display, format, new AtomicLong(), new RawDigest());
  }

  /** SHA-256 and length of the raw bytes read through {@link #open()}; whole-file once the stream is closed. */
  public static final class RawDigest {
    private java.security.MessageDigest md;
    private long bytes;
    private boolean streamed;

    synchronized void reset() {
      md = saturn.artifact.Hashing.sha256();
      bytes = 0;
      streamed = true;
    }

    synchronized void update(byte[] b, int off, int len) {
      if (md != null) {
        md.update(b, off, len);
        bytes += len;
      }
    }
  }

  /**
   * Fails when the file's content differs from what was hashed before reading ({@code bytes}, {@code sha256}): it was
   * still being written, or was replaced. Streamed formats compare the hash of the bytes actually read; formats read
   * by random access (Parquet) hash the file again.
   */
  public void checkUnchanged(long bytes, String sha256) throws IOException {
    long seen;
    String hash;
    synchronized (rawDigest) {
      if (rawDigest.streamed) {
        seen = rawDigest.bytes;
        hash = java.util.HexFormat.of().formatHex(rawDigest.md.digest());
        rawDigest.md = null;
        rawDigest.streamed = false;
      } else {
        seen = Files.size(path);
        hash = saturn.artifact.Hashing.sha256(path);
      }
    }
    if (seen != bytes || !hash.equals(sha256)) {
      throw new BadInputException(display + " changed while it was being ingested (" + String.format("%,d", bytes)
          + " bytes, sha256 " + sha256.substring(0, 12) + "… when hashed; " + String.format("%,d", seen) + " bytes, "
          + hash.substring(0, 12) + "… when tokenized); wait until it is completely written and ingest again");
    }
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
    rawDigest.reset();
    InputStream raw = new Counting(Files.newInputStream(path), bytesRead, rawDigest);
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

  /** Counts and hashes the raw bytes; on close it reads what the decoder left unread, so the hash covers the file. */
  private static final class Counting extends FilterInputStream {
    private final AtomicLong counter;
    private final RawDigest digest;

    Counting(InputStream in, AtomicLong counter, RawDigest digest) {
      super(in);
      this.counter = counter;
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        counter.incrementAndGet();
        digest.update(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        counter.addAndGet(n);
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }

    @Override
    public void close() throws IOException {
      try {
        byte[] rest = new byte[1 << 16];
        while (read(rest, 0, rest.length) > 0) {
          // hash the tail a decoder did not need (trailing bytes after a gzip member, say)
        }
      } finally {
        super.close();
      }
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
