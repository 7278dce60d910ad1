package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help renders cleanly (a stray '%' in a description makes picocli warn and print it raw). */
class HelpTest {
  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    List<String> names = new ArrayList<>();
    collect(new CommandLine(new SaturnCommand()), names);
    assertTrue(names.size() > 20, names.toString());
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      for (String n : names) {
        CommandLine cl = new CommandLine(new SaturnCommand());
        for (String part : n.split(" ")) if (!part.isEmpty()) cl = cl.getSubcommands().get(part);
        String usage = cl.getUsageMessage();
        assertTrue(usage.startsWith("Usage: saturn"), n + ": " + usage);
      }
    } finally {
      System.setErr(oldErr);
    }
    assertEquals("", err.toString(), "picocli warnings");
  }

  private static void collect(CommandLine cl, List<String> out) {
    String path = cl.getCommandSpec().qualifiedName(" ").replaceFirst("^saturn ?", "");
    out.add(path);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getParent() == cl && !out.contains(sub.getCommandSpec().qualifiedName(" ").replaceFirst("^saturn ?", ""))) collect(sub, out);
    }
  }
}
