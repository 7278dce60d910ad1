package saturn.lmhead.format;

import java.util.Locale;

/**
 * The safetensors layout (HF): an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {str: str}}},
 * padded with spaces to a multiple of 8), then the raw little-endian tensor bytes; offsets are relative to the end
 * of the header. saturn adds {@value #META_DATA_CRC32} to the metadata (CRC32 of the data section) so damage is
 * detected; files from elsewhere (HF Pythia) have none and are read without that check.
 */
public final class SafetensorsFormat {
  public static final String EXTENSION = ".safetensors";
  public static final String METADATA_KEY = "__metadata__";
  public static final String META_FORMAT = "format";
  public static final String META_DATA_CRC32 = "saturn.data_crc32";
  public static final String META_VERSION = "saturn.format_version";
  public static final int VERSION_START = 1;
  public static final int VERSION_CURRENT = 1;
  /** Largest header the reader accepts (the HF library uses 100 MB). */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private SafetensorsFormat() {}

  /** Element types saturn reads; writes use F32, F64 and I64. */
  public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    public final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    public static DType parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unsupported safetensors dtype '" + s + "'");
      }
    }
  }
}
