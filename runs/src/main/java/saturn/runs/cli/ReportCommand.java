package saturn.runs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Workspace;
import saturn.runs.registry.Registry;
import saturn.runs.report.ReportWriter;

/** {@code saturn report RUN [RUN…] [--out DIR]}. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write one self-contained HTML report (charts inline, no network needed) and a Markdown summary "
        + "for one or more runs; several runs are drawn on the same charts for comparison."})
public final class ReportCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run ids from `saturn runs list`, or latest.")
  List<String> runs;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write report.html and report.md (default: <workspace>/reports/run-A[+B…]).")
  Path out;

  @Option(names = "--title", description = "Report title (default: the runs' names).")
  String title;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.openExisting();
    try (Registry r = Registry.open(w)) {
      List<Long> ids = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String ref : runs) {
        Registry.RunRow row = r.resolve(ref);
        if (!ids.contains(row.id())) {
          ids.add(row.id());
          if (!names.contains(row.name())) names.add(row.name());
        }
      }
      Path dir = out != null ? out : w.root().resolve("reports").resolve("run-" + String.join("+", ids.stream().map(String::valueOf).toList()));
      Path html = ReportWriter.write(w, r, ids, dir, title != null ? title : String.join(" vs ", names));
      System.out.println("report: " + html);
      System.out.println("summary: " + html.resolveSibling("report.md"));
    }
    return ExitCodes.OK;
  }
}
