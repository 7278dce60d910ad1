package saturn.eval;

/**
 * Configuration of {@code saturn eval} (checkpoint metrics); written in full into the eval artifact's manifest.
 *
 * @param evalTokens held-out tokens scored per checkpoint (a fixed, seeded sample of windows of the validation split)
 * @param contextLength tokens per window (each window predicts contextLength tokens from contextLength + 1 read)
 * @param anisotropyTokens hidden states per layer used for anisotropy (the first ones of the sample)
 * @param seed seed of the window positions
 * @param perPosition also report the mean loss at every position of the window
 * @param includePaddedRows whether the head spectrum includes padded vocabulary rows (rows at and above the real vocabulary)
 * @param tokensPerStep training tokens per optimiser step, to turn steps into D when the checkpoint does not say (Pythia: 2,097,152)
 * @param strict refuse the whole run when a checkpoint is missing, partial, damaged or mismatched, instead of skipping it
 * @param model model name in tables and charts (null: from the source)
 * @param realVocab the tokenizer's vocabulary when the checkpoint's config does not say (0: the token artifact's)
 * @param threads intra-op threads of the tensor engine
 * @param device cpu or gpu
 * @param maxBatchBytes cap on the logits of one forward batch (B × T × V × 4 bytes)
 */
public record EvalConfig(int evalTokens, int contextLength, int anisotropyTokens, long seed, boolean perPosition,
    boolean includePaddedRows, long tokensPerStep, boolean strict, String model, int realVocab, int threads, String device,
    long maxBatchBytes) {

  public EvalConfig {
    if (evalTokens < 1) throw new IllegalArgumentException("--eval-tokens must be >= 1, got " + evalTokens);
    if (contextLength < 1) throw new IllegalArgumentException("--context must be >= 1, got " + contextLength);
    if (anisotropyTokens < 0) throw new IllegalArgumentException("--anisotropy-tokens must be >= 0, got " + anisotropyTokens);
    if (tokensPerStep < 0) throw new IllegalArgumentException("--tokens-per-step must be >= 0, got " + tokensPerStep);
    if (realVocab < 0) throw new IllegalArgumentException("--real-vocab must be >= 0");
    if (!device.equals("cpu") && !device.equals("gpu")) throw new IllegalArgumentException("--device must be cpu or gpu, got " + device);
    if (maxBatchBytes < 1) throw new IllegalArgumentException("max batch bytes must be positive");
  }

  /** Window length when neither the user nor the checkpoint says (HF checkpoints of unknown training context). */
  public static final int DEFAULT_SEQ_LEN = 512;

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every setting optional, defaults written once here. */
  public static final class Builder {
    private int evalTokens = 8192;
    private int contextLength = DEFAULT_SEQ_LEN;
    private int anisotropyTokens = 1024;
    private long seed = 1234;
    private boolean perPosition;
    private boolean includePaddedRows;
    private long tokensPerStep = 2_097_152L;
    private boolean strict;
    private String model;
    private int realVocab;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private String device = "cpu";
    private long maxBatchBytes = 256L << 20;

    public Builder optEvalTokens(int v) { evalTokens = v; return this; }
    public Builder optContextLength(int v) { contextLength = v; return this; }
    public Builder optAnisotropyTokens(int v) { anisotropyTokens = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optPerPosition(boolean v) { perPosition = v; return this; }
    public Builder optIncludePaddedRows(boolean v) { includePaddedRows = v; return this; }
    public Builder optTokensPerStep(long v) { tokensPerStep = v; return this; }
    public Builder optStrict(boolean v) { strict = v; return this; }
    public Builder optModel(String v) { model = v; return this; }
    public Builder optRealVocab(int v) { realVocab = v; return this; }
    public Builder optThreads(int v) { threads = v; return this; }
    public Builder optDevice(String v) { device = v; return this; }
    public Builder optMaxBatchBytes(long v) { maxBatchBytes = v; return this; }

    public EvalConfig build() {
      return new EvalConfig(evalTokens, contextLength, anisotropyTokens, seed, perPosition, includePaddedRows, tokensPerStep,
          strict, model, realVocab, threads, device, maxBatchBytes);
    }
  }
}
