package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.runs.options.IngestOptions;
import saturn.runs.options.ResourceOptions;
import saturn.stage.Resources;

/** {@code saturn ingest CORPUS… --tokenizer …}: raw corpora in, token shards out. */
@Command(name = "ingest", mixinStandardHelpOptions = true, defaultValueProvider = IngestOptions.Defaults.class,
    description = {"Tokenize corpora into llm.c/nanoGPT token shards (train/val split by document).",
        "CORPUS: files, directories or globs of .txt, .jsonl, .arrow (HF datasets), .parquet, .lines.txt (Lucene line-doc),"
            + " each optionally .gz or .zst."})
public final class IngestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin IngestOptions options;
  @Mixin ResourceOptions resources;

  @Parameters(paramLabel = "CORPUS", arity = "1..*", description = "Files, directories or quoted globs.")
  List<String> inputs;

  @Option(names = "--tokenizer", required = true, paramLabel = "gpt2|PATH|HUB_ID",
      description = "gpt2 (built in, offline), a tokenizer.json or a directory holding one, or a Hugging Face hub id.")
  String tokenizer;

  @Override
  public Integer call() throws Exception {
    IngestSpec s = options.toSpec(inputs, tokenizer); // validates before anything is written
    Resources r = resources.resources();
    Workspace w = ws.open();
    CommandRun run = new CommandRun(w, "ingest", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec));
    Artifact a = run.runOne(CommandRun.node("ingest", new IngestStage(), r).setSpecs(in -> s).build(), r);
    System.out.println(a.id());
    System.out.println(a.dir());
    return ExitCodes.OK;
  }
}
