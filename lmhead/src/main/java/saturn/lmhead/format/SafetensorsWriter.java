package saturn.lmhead.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/** Writes a safetensors file in one pass; tensors are laid out in the order given. */
public final class SafetensorsWriter {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private SafetensorsWriter() {}

  public static void write(Path file, Map<String, String> metadata, Collection<Tensor> tensors) throws IOException {
    CRC32 crc = new CRC32();
    ObjectNode header = PLAIN.createObjectNode();
    long offset = 0;
    for (Tensor t : tensors) {
      if (t.name().equals(SafetensorsFormat.METADATA_KEY) || header.has(t.name())) {
        throw new IllegalArgumentException("duplicate or reserved tensor name '" + t.name() + "'");
      }
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", t.dtype().name());
      var shape = e.putArray("shape");
      for (long s : t.shape()) shape.add(s);
      long len = t.data().remaining();
      e.putArray("data_offsets").add(offset).add(offset + len);
      offset += len;
      crc.update(t.data().duplicate());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(SafetensorsFormat.META_FORMAT, "pt");
    if (metadata != null) meta.putAll(metadata);
    meta.put(SafetensorsFormat.META_VERSION, Integer.toString(SafetensorsFormat.VERSION_CURRENT));
    meta.put(SafetensorsFormat.META_DATA_CRC32, Long.toHexString(crc.getValue()));
    ObjectNode m = PLAIN.createObjectNode();
    meta.forEach(m::put);
    // __metadata__ first, as the HF library writes it
    ObjectNode ordered = PLAIN.createObjectNode();
    ordered.set(SafetensorsFormat.METADATA_KEY, m);
    ordered.setAll(header);
    byte[] json = PLAIN.writeValueAsString(ordered).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // 8-byte alignment of the data section, as the reference writer does
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      while (head.hasRemaining()) ch.write(head);
      for (Tensor t : tensors) {
        ByteBuffer d = t.data().duplicate();
        while (d.hasRemaining()) ch.write(d);
      }
      ch.force(true);
    }
  }
}
