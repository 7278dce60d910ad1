package saturn.spectra.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.spectra.Spectrum;

/** Reads a spectrum artifact's Arrow table back into a {@link Spectrum}, checking checksum, format and version. */
public final class SpectrumReader {
  private SpectrumReader() {}

  /** Verifies the file against the artifact manifest's sha256, then reads it. */
  public static Spectrum read(Artifact artifact) throws IOException {
    return read(artifact.verifiedFile(SpectrumFormat.ARROW_FILE));
  }

  public static Spectrum read(Path file) throws IOException {
    try (BufferAllocator alloc = new RootAllocator();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Map<String, String> m = root.getSchema().getCustomMetadata();
      if (m == null || !SpectrumFormat.FORMAT.equals(m.get(SpectrumFormat.META_FORMAT))) {
        throw new CorruptArtifactException(file, "not a saturn spectrum table (no '" + SpectrumFormat.FORMAT + "' metadata)");
      }
      int version = Integer.parseInt(m.getOrDefault(SpectrumFormat.META_VERSION, "-1"));
      if (version < SpectrumFormat.VERSION_START || version > SpectrumFormat.VERSION_CURRENT) {
        throw new CorruptArtifactException(file, "spectrum format version " + version + ", this saturn reads "
            + SpectrumFormat.VERSION_START + ".." + SpectrumFormat.VERSION_CURRENT + "; upgrade saturn or recompute");
      }
      for (String c : SpectrumFormat.COLUMNS) {
        if (root.getSchema().findField(c) == null) throw new CorruptArtifactException(file, "column '" + c + "' missing");
      }
      if (!reader.loadNextBatch()) throw new CorruptArtifactException(file, "no record batch");
      int k = root.getRowCount();
      IntVector rank = (IntVector) root.getVector("rank");
      Float8Vector sigma = (Float8Vector) root.getVector("sigma");
      Float8Vector acc = (Float8Vector) root.getVector("accuracy");
      double[] s = new double[k];
      double[] a = new double[k];
      for (int i = 0; i < k; i++) {
        if (rank.get(i) != i + 1) throw new CorruptArtifactException(file, "row " + i + " has rank " + rank.get(i));
        s[i] = sigma.get(i);
        a[i] = acc.get(i);
      }
      return new Spectrum(Integer.parseInt(m.get("rows")), Integer.parseInt(m.get("cols")), Long.parseLong(m.get("nnz")),
          Integer.parseInt(m.get("non_empty_columns")), Long.parseLong(m.get("zero_rows")),
          Double.parseDouble(m.get("frobenius_squared")), Integer.parseInt(m.get("requested_rank")), s, a,
          m.get("solver"), Integer.parseInt(m.get("cycles")), Boolean.parseBoolean(m.get("converged")),
          Long.parseLong(m.get("operator_columns")), Double.parseDouble(m.get("seconds")));
    } catch (CorruptArtifactException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptArtifactException(file, "unreadable spectrum table (" + e.getMessage() + "); recompute it", e);
    }
  }
}
