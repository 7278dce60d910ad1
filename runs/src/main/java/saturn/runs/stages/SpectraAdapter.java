package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ngram.CsrMatrix;
import saturn.ngram.format.ContextMatrixReader;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;
import saturn.spectra.SpectraConfig;
import saturn.spectra.SpectraStage;
import saturn.spectra.Spectrum;
import saturn.spectra.format.SpectrumFormat;
import saturn.spectra.format.SpectrumReader;

/** Plan node for {@link SpectraStage}: the truncated SVD of W and its W-error curve. */
final class SpectraAdapter implements Stage {
  private final String label;
  private final String wLabel;
  private final SpectraConfig config;
  private final Long memoryOption;
  private final Map<String, String> tags;

  SpectraAdapter(String label, String wLabel, RunSpec.Section section, Map<String, String> tags) {
    this.label = label;
    this.wLabel = wLabel;
    this.tags = tags;
    Options o = new Options(section.options(), section.where(), "spectra");
    SpectraConfig.Builder b = SpectraConfig.builder();
    if (o.has("rank")) b.optRank((int) o.integer("rank", 0));
    if (o.has("solver")) b.optSolver(o.string("solver", "auto"));
    if (o.has("tolerance")) b.optTolerance(o.number("tolerance", 0));
    if (o.has("max_cycles")) b.optMaxCycles((int) o.integer("max_cycles", 0));
    if (o.has("block_size")) b.optBlockSize((int) o.integer("block_size", 0));
    if (o.has("oversampling")) b.optOversampling((int) o.integer("oversampling", 0));
    if (o.has("seed")) b.optSeed(o.integer("seed", 0));
    this.memoryOption = o.has("memory") ? o.bytes("memory", 0) : null;
    o.done();
    try {
      this.config = b.build();
    } catch (IllegalArgumentException e) {
      throw section.where().error("spectra: " + e.getMessage());
    }
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "spectra"; }
  @Override public List<String> inputs() { return List.of(wLabel); }
  @Override public JsonNode config() { return Json.tree(config); }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public ArtifactSpec spec(List<Artifact> in) {
    return null; // SpectraStage names its artifact; the registry remembers it
  }

  @Override
  public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
    List<String> ids = List.of(in.get(0).id());
    // Look before loading W (the stage would find it too, but only after W is in memory).
    Optional<Artifact> done = ws.find(ArtifactSpec.of(SpectraStage.STAGE, SpectrumFormat.FORMAT, SpectrumFormat.VERSION_CURRENT, config, ids));
    if (done.isPresent()) return done.get();
    CsrMatrix w = ContextMatrixReader.read(in.get(0));
    long memory = memoryOption != null ? memoryOption : Math.max(256L << 20, ctx.memoryBytes());
    return SpectraStage.run(ws, w, ids, config, new SpectraStage.Resources(Math.max(1, ctx.threads()), memory), ctx.log());
  }

  @Override
  public Estimate estimate() {
    return new Estimate(memoryOption != null ? memoryOption : 2L << 30, 60 + config.rank() / 10.0);
  }

  @Override
  public List<Metric> metrics(Artifact a) throws IOException {
    Spectrum s = SpectrumReader.read(a);
    double[] we = s.wError();
    double[] x = new double[we.length];
    for (int i = 0; i < x.length; i++) x[i] = i;
    double[] sx = new double[s.sigma().length];
    for (int i = 0; i < sx.length; i++) sx[i] = i + 1;
    return List.of(Metric.series("w_error", tags, x, we), Metric.series("w_singular_values", tags, sx, s.sigma()),
        Metric.scalar("w_error_at_max_rank", tags, we[we.length - 1]));
  }
}
