package saturn.ingest.read;

import java.io.IOException;

/** Bad input data (not a bug): the message is one line naming the file (and line) and saying what to do. */
public final class BadInputException extends IOException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
