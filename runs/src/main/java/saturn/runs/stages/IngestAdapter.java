package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestListener;
import saturn.ingest.IngestStage;
import saturn.ingest.read.InputFormat;
import saturn.ingest.read.ReadOptions;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;

/** Plan node for {@link IngestStage}: one corpus × one tokenizer → a token artifact. */
final class IngestAdapter implements Stage {
  private final String label;
  private final Map<String, String> tags;
  private final IngestSpec config;
  private final JsonNode configJson;
  private final long inputBytes;

  IngestAdapter(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags) {
    this.label = label;
    this.tags = tags;
    Options o = new Options(corpus.ingest(), corpus.where(), "corpus '" + corpus.name() + "' ingest");
    List<String> resolved = new java.util.ArrayList<>();
    for (String f : files) {
      try {
        resolved.add(f.startsWith("builtin:") ? BuiltinCorpora.file(f.substring("builtin:".length())).toString() : f);
      } catch (IllegalArgumentException e) {
        throw corpus.where().error("corpus '" + corpus.name() + "': " + e.getMessage());
      }
    }
    files = resolved;
    String source = tokenizer.source();
    IngestSpec.Builder b = IngestSpec.builder().setInputs(files).setTokenizer(source)
        .optValFraction(o.number("val_fraction", IngestSpec.DEFAULT_VAL_FRACTION))
        .optSeed(o.integer("seed", IngestSpec.DEFAULT_SEED))
        .optTextField(o.string("text_field", "text"))
        .optEncoding(o.string("encoding", "UTF-8"))
        .optStrict(o.bool("strict", false))
        .optSkipBadFiles(o.bool("skip_bad_files", false))
        .optThreads((int) o.integer("threads", 0));
    String key = "split_txt";
    try {
      if (o.has("split_txt")) b.optSplitTxt(ReadOptions.SplitTxt.valueOf(o.string("split_txt", "file").toUpperCase(Locale.ROOT)));
      key = "bad_records";
      if (o.has("bad_records")) b.optBadRecords(ReadOptions.BadRecords.valueOf(o.string("bad_records", "fail").toUpperCase(Locale.ROOT)));
      key = "format";
      if (o.has("format")) b.optFormat(InputFormat.valueOf(o.string("format", "").toUpperCase(Locale.ROOT).replace("-", "")));
    } catch (IllegalArgumentException e) {
      throw o.errorAt(key, key + ": '" + o.string(key, "") + "' is not one of " + switch (key) {
        case "split_txt" -> "file, line, paragraph";
        case "bad_records" -> "fail, skip";
        default -> "txt, jsonl, arrow, parquet, line-doc";
      });
    }
    if (o.has("tokens_per_shard")) b.optTokensPerShard(o.integer("tokens_per_shard", 0));
    if (o.has("chunk_chars")) b.optChunkChars((int) o.integer("chunk_chars", 0));
    o.done();
    try {
      this.config = b.build();
    } catch (IllegalArgumentException e) {
      throw corpus.where().error("corpus '" + corpus.name() + "': " + e.getMessage());
    }
    // What the registry remembers this stage by: the resolved options and the content of every input file, so an
    // edited corpus or tokenizer file is never mistaken for the one ingested before.
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("config", config);
    Map<String, String> sums = new LinkedHashMap<>();
    long bytes = 0;
    for (String f : files) {
      if (f.startsWith("builtin:")) continue;
      try {
        Path p = Path.of(f);
        sums.put(f, Hashing.sha256(p));
        bytes += Files.size(p);
      } catch (IOException e) {
        throw corpus.where().error("corpus '" + corpus.name() + "': cannot read " + f + " (" + e.getMessage() + ")");
      }
    }
    if (Files.isRegularFile(Path.of(source))) {
      try {
        sums.put(source, Hashing.sha256(Path.of(source)));
      } catch (IOException e) {
        throw tokenizer.where().error("tokenizer " + source + ": " + e.getMessage());
      }
    }
    c.put("sha256", sums);
    this.configJson = Json.tree(c);
    this.inputBytes = bytes;
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "ingest"; }
  @Override public List<String> inputs() { return List.of(); }
  @Override public JsonNode config() { return configJson; }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public ArtifactSpec spec(List<Artifact> inputs) {
    return null; // IngestStage names its artifact after loading the tokenizer; the registry remembers it
  }

  @Override
  public Artifact run(Workspace workspace, List<Artifact> inputs, StageContext ctx) throws IOException {
    IngestSpec c = config.threads() > 0 ? config : IngestSpec.builder().setInputs(config.inputs()).setTokenizer(config.tokenizer())
        .optValFraction(config.valFraction()).optSeed(config.seed()).optTextField(config.textField()).optSplitTxt(config.splitTxt())
        .optEncoding(config.encoding()).optStrict(config.strict()).optBadRecords(config.badRecords()).optSkipBadFiles(config.skipBadFiles())
        .optFormat(config.format()).optTokensPerShard(config.tokensPerShard()).optChunkChars(config.chunkChars())
        .optThreads(ctx.threads()).build();
    return IngestStage.run(workspace, c, new IngestListener() {
      @Override
      public void note(String line) {
        ctx.log().accept(line);
      }
    });
  }

  @Override
  public Estimate estimate() {
    // ~1 MB/s of text per core with a BPE tokenizer, buffers of a few hundred MB
    return new Estimate(512L << 20, Math.max(2, inputBytes / 1e6));
  }

  @Override
  public List<Metric> metrics(Artifact a) {
    JsonNode s = a.manifest().stats();
    return List.of(Metric.scalar("tokens", tags, s.path("tokens").asDouble()),
        Metric.scalar("documents", tags, s.path("documents").asDouble()),
        Metric.scalar("bytes_per_token", tags, s.path("bytesPerToken").asDouble()));
  }
}
