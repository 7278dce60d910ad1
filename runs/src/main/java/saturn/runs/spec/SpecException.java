package saturn.runs.spec;

/** A problem in a run spec, naming the file and line: {@code spec.yaml:12: models.heads: unknown head 'sofmax'}. */
public final class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final int line;

  public SpecException(String file, int line, String message) {
    super(file + ":" + line + ": " + message);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based line the problem is on. */
  public int line() {
    return line;
  }
}
