package saturn.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;

/**
 * A published token artifact as later stages see it: its splits, vocabulary size, end-of-text token and tokenizer.
 * These facts live in the manifest's {@code stats} under the keys below.
 */
public final class TokenArtifact {
  public static final String STAGE = "tokens";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String KEY_VOCAB_SIZE = "vocabSize";
  public static final String KEY_EOT_TOKEN = "eotToken";
  public static final String KEY_TOKENIZER_NAME = "tokenizerName";
  public static final String KEY_TOKENIZER_SHA256 = "tokenizerSha256";

  private final Artifact artifact;
  private final int vocabSize;
  private final int eotToken;
  private final String tokenizerName;
  private final String tokenizerSha256;

  private TokenArtifact(Artifact artifact) throws CorruptArtifactException {
    this.artifact = artifact;
    Path m = artifact.dir().resolve("manifest.json");
    if (!STAGE.equals(artifact.stage())) {
      throw new IllegalArgumentException(artifact.id() + " is a '" + artifact.stage() + "' artifact, not a token artifact");
    }
    if (!TokenShardFormat.FORMAT_NAME.equals(artifact.manifest().format())
        || artifact.manifest().formatVersion() > TokenShardFormat.FORMAT_VERSION) {
      throw new CorruptArtifactException(m, "format " + artifact.manifest().format() + " v"
          + artifact.manifest().formatVersion() + " is not readable by this saturn; upgrade saturn");
    }
    JsonNode s = artifact.manifest().stats();
    if (s == null || !s.hasNonNull(KEY_VOCAB_SIZE) || !s.hasNonNull(KEY_TOKENIZER_SHA256)) {
      throw new CorruptArtifactException(m, "stats lack " + KEY_VOCAB_SIZE + " or " + KEY_TOKENIZER_SHA256);
    }
    this.vocabSize = s.get(KEY_VOCAB_SIZE).asInt();
    this.eotToken = s.hasNonNull(KEY_EOT_TOKEN) ? s.get(KEY_EOT_TOKEN).asInt() : -1;
    this.tokenizerName = s.path(KEY_TOKENIZER_NAME).asText("unknown");
    this.tokenizerSha256 = s.get(KEY_TOKENIZER_SHA256).asText();
  }

  public static TokenArtifact of(Artifact artifact) throws CorruptArtifactException {
    return new TokenArtifact(artifact);
  }

  public Artifact artifact() {
    return artifact;
  }

  public String id() {
    return artifact.id();
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** The end-of-text token that precedes each document, or -1 when the tokenizer has none. */
  public int eotToken() {
    return eotToken;
  }

  public String tokenizerName() {
    return tokenizerName;
  }

  /** Identifies the tokenizer: stages refuse to mix artifacts whose tokenizers differ. */
  public String tokenizerSha256() {
    return tokenizerSha256;
  }

  public Path tokenizerFile() throws CorruptArtifactException {
    return artifact.file(TOKENIZER_FILE);
  }

  /** Opens a split ({@link TokenShardFormat#TRAIN} or {@link TokenShardFormat#VAL}) memory-mapped. */
  public TokenShardReader open(String split) throws IOException {
    return TokenShardReader.open(artifact.dir(), split);
  }
}
