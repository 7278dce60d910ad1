package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import saturn.artifact.Artifact;
import saturn.ingest.ConsoleProgress;
import saturn.ingest.DefaultCorpus;
import saturn.ingest.IngestConfig;
import saturn.ingest.IngestStage;
import saturn.ingest.TokenArtifact;

/**
 * {@code saturn quickstart}: runs saturn on its embedded default corpus (Europarl line-docs from Maven Central) with the
 * built-in GPT-2 tokenizer. Later stages extend it into the whole pipeline.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Run saturn on the embedded default corpus (Europarl, from Maven Central) and print a summary; offline.")
public final class QuickstartCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Override
  public Integer call() throws Exception {
    System.err.println("quickstart: ingesting the default corpus " + DefaultCorpus.FILE_NAME + " with the built-in gpt2 tokenizer");
    IngestConfig config = IngestConfig.builder()
        .setInputs(List.of(DefaultCorpus.path().toString()))
        .setTokenizer("gpt2")
        .optValFraction(0.01)
        .build();
    Artifact a = IngestStage.run(ws.open(), config, ConsoleProgress.forStderr());
    TokenArtifact t = TokenArtifact.of(a);
    var s = a.manifest().stats();
    System.out.printf("tokens artifact  %s%n", a.id());
    System.out.printf("directory        %s%n", a.dir());
    System.out.printf("documents        %,d (train %,d, val %,d)%n", s.get("documents").asLong(),
        s.get("trainDocuments").asLong(), s.get("valDocuments").asLong());
    System.out.printf("tokens           %,d (%s, vocabulary %,d, %s = %d before each document)%n", s.get("tokens").asLong(),
        s.get("tokenDtype").asText(), t.vocabSize(), "<|endoftext|>", t.eotToken());
    System.out.printf("tokens/document  %.1f; bytes/token %.2f%n", s.get("tokensPerDocument").asDouble(), s.get("bytesPerToken").asDouble());
    System.out.println("read from Python: np.memmap('" + a.dir().resolve("train_000000.bin") + "', dtype=np.uint16, offset=1024)");
    return ExitCodes.OK;
  }
}
