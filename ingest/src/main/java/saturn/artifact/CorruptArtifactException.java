package saturn.artifact;

import java.io.IOException;
import java.nio.file.Path;

/** A file of an artifact is damaged or not what its manifest promised; the message names the file. */
public class CorruptArtifactException extends IOException {
  private static final long serialVersionUID = 1L;
  private final Path path;

  public CorruptArtifactException(Path path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  public CorruptArtifactException(Path path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
