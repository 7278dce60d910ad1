package saturn.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.lmhead.GrokSpec;
import saturn.lmhead.GrokStage;
import saturn.runs.options.GrokOptions;
import saturn.runs.options.ResourceOptions;
import saturn.stage.Resources;

/** {@code saturn grok}: the StableMax / ⊥Grad paper's grokking experiments, full batch, on CPU. */
@Command(name = "grok", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = GrokOptions.Defaults.class,
    description = {"Grokking experiments (Prieto et al. 2025): modular arithmetic mod p or sparse parity, full batch,",
        "MLP (200, 200, ReLU) or a 1-layer transformer. Prints per-epoch progress, writes a 'grok' artifact with",
        "metrics.csv/.arrow (train/test loss and accuracy, SC fraction, zero-loss fraction, weight norm) and the grok step."})
public final class GrokCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin GrokOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = "--json", description = "Print the result as one JSON line instead of a summary.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    GrokSpec s = options.toSpec();
    Resources r = resources.resources();
    Artifact a = new CommandRun(ws.open(), "grok", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("grok", new GrokStage(), r).setSpecs(in -> s).build(), r);
    JsonNode st = a.manifest().stats();
    if (json) {
      System.out.println(Json.canonical(Json.MAPPER.createObjectNode().put("artifact", a.id()).set("stats", st)));
      return ExitCodes.OK;
    }
    System.out.println(a.id() + "  " + a.dir());
    int grok = st.path("grokStep").asInt(-1);
    System.out.printf(Locale.ROOT, "%s mod %d, %s loss, %s, %s: %s%n", s.task(), s.modulus(), s.loss(), s.optimizer().label(),
        s.precision(), grok > 0 ? "grokked at epoch " + grok + " (test accuracy >= " + (int) (GrokStage.GROK_ACCURACY * 100) + "%)"
            : "did not grok in " + s.epochs() + " epochs");
    System.out.printf(Locale.ROOT, "final accuracy: train %.3f, test %.3f (%d train / %d test examples)%n",
        st.path("finalTrainAcc").asDouble(), st.path("finalTestAcc").asDouble(), st.path("trainSize").asInt(),
        st.path("testSize").asInt());
    System.out.println("per-epoch metrics: " + a.dir().resolve("metrics.csv"));
    return ExitCodes.OK;
  }
}
