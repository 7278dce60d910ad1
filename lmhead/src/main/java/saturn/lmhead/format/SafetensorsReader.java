package saturn.lmhead.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import saturn.artifact.CorruptArtifactException;
import saturn.lmhead.format.SafetensorsFormat.DType;

/**
 * Reads a safetensors file memory-mapped. Validates the header (JSON, dtypes, shapes against offsets, offsets
 * within the file, no overlaps) and, for files saturn wrote, the data CRC32; damage raises
 * {@link CorruptArtifactException} naming the file.
 */
public final class SafetensorsReader {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final Path file;
  private final Map<String, String> metadata;
  private final Map<String, Tensor> tensors;

  private SafetensorsReader(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) {
    this.file = file;
    this.metadata = metadata;
    this.tensors = tensors;
  }

  public static SafetensorsReader open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw new CorruptArtifactException(file, "shorter than the 8-byte safetensors header length");
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.LITTLE_ENDIAN);
      long n = map.getLong(0);
      if (n <= 0 || n > SafetensorsFormat.MAX_HEADER_BYTES || 8 + n > size) {
        throw new CorruptArtifactException(file, "header length " + n + " does not fit a file of " + size + " bytes");
      }
      byte[] json = new byte[(int) n];
      map.get(8, json);
      JsonNode header;
      try {
        header = PLAIN.readTree(new String(json, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new CorruptArtifactException(file, "header is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      if (header == null || !header.isObject()) throw new CorruptArtifactException(file, "header is not a JSON object");
      long dataStart = 8 + n;
      long dataLen = size - dataStart;
      Map<String, String> meta = new LinkedHashMap<>();
      Map<String, Tensor> out = new LinkedHashMap<>();
      long covered = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals(SafetensorsFormat.METADATA_KEY)) {
          e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        JsonNode t = e.getValue();
        try {
          DType dtype = DType.parse(t.path("dtype").asText());
          JsonNode sh = t.get("shape");
          JsonNode off = t.get("data_offsets");
          if (sh == null || off == null || off.size() != 2) throw new IllegalArgumentException("lacks shape or data_offsets");
          long[] shape = new long[sh.size()];
          for (int i = 0; i < shape.length; i++) shape[i] = sh.get(i).asLong();
          long b = off.get(0).asLong();
          long end = off.get(1).asLong();
          if (b < 0 || end < b || end > dataLen) throw new IllegalArgumentException("offsets [" + b + ", " + end + ") outside the data section of " + dataLen + " bytes");
          if (Tensor.numel(shape) * dtype.bytes != end - b) throw new IllegalArgumentException("shape does not match its byte range");
          covered += end - b;
          ByteBuffer slice = map.slice((int) (dataStart + b), (int) (end - b)).order(ByteOrder.LITTLE_ENDIAN);
          out.put(e.getKey(), new Tensor(e.getKey(), dtype, shape, slice));
        } catch (IllegalArgumentException bad) {
          throw new CorruptArtifactException(file, "tensor '" + e.getKey() + "': " + bad.getMessage());
        }
      }
      if (covered > dataLen) throw new CorruptArtifactException(file, "tensors overlap");
      String version = meta.get(SafetensorsFormat.META_VERSION);
      if (version != null) {
        int v;
        try {
          v = Integer.parseInt(version);
        } catch (NumberFormatException x) {
          throw new CorruptArtifactException(file, "format version '" + version + "' is not a number");
        }
        if (v < SafetensorsFormat.VERSION_START || v > SafetensorsFormat.VERSION_CURRENT) {
          throw new CorruptArtifactException(file, "saturn safetensors version " + v + " not in ["
              + SafetensorsFormat.VERSION_START + ", " + SafetensorsFormat.VERSION_CURRENT + "]; upgrade saturn");
        }
      }
      String crcHex = meta.get(SafetensorsFormat.META_DATA_CRC32);
      if (crcHex != null) {
        CRC32 crc = new CRC32();
        // tensors were written back to back in header order; the data section is exactly their concatenation
        crc.update(map.slice((int) dataStart, (int) dataLen));
        if (!Long.toHexString(crc.getValue()).equals(crcHex)) {
          throw new CorruptArtifactException(file, "data checksum mismatch (file damaged); use an earlier checkpoint");
        }
      }
      return new SafetensorsReader(file, Collections.unmodifiableMap(meta), Collections.unmodifiableMap(out));
    }
  }

  public Path file() {
    return file;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Tensors by name, in header order. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  public Tensor tensor(String name) throws CorruptArtifactException {
    Tensor t = tensors.get(name);
    if (t == null) throw new CorruptArtifactException(file, "has no tensor '" + name + "'");
    return t;
  }
}
