package saturn.runs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import saturn.artifact.Workspace;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.SpecParser;

/**
 * The quickstart is {@code runs/examples/quickstart.yaml} run by the pipeline runner; the spec ships inside the jar, so
 * it works from any directory. It is written into the workspace first, so the run registry shows a real file.
 */
public final class Quickstart {
  public static final String RESOURCE = "saturn/runs/examples/quickstart.yaml";

  private Quickstart() {}

  /** The packaged quickstart spec, copied to {@code <workspace>/specs/quickstart.yaml}. */
  public static RunSpec spec(Workspace workspace) throws IOException {
    String text;
    try (InputStream in = Quickstart.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IOException(RESOURCE + " is missing from the class path; rebuild saturn");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path file = Files.createDirectories(workspace.root().resolve("specs")).resolve("quickstart.yaml");
    if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    return SpecParser.parse(file);
  }
}
