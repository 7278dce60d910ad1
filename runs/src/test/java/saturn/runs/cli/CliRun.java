package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the CLI with stdout and stderr captured: what the command-line tests check. */
public record CliRun(int code, String out, String err) {
  public static CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Runs and asserts the exit code; a failure shows both streams. */
  public static CliRun expect(int exitCode, String... args) {
    CliRun r = of(args);
    assertEquals(exitCode, r.code(), () -> r.out() + "\n" + r.err());
    return r;
  }

  /** Both streams, stdout first. */
  public String all() {
    return out + err;
  }
}
