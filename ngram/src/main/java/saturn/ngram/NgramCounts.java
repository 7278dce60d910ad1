package saturn.ngram;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Manifest;
import saturn.ngram.format.NgramStoreFormat;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.internal.KeyCodec;

/** A published count artifact ({@value NgramStage#COUNTS_STAGE} stage) as readers see it. */
public final class NgramCounts {
  private final Artifact artifact;
  private final int order;
  private final int partitions;
  private final int vocabSize;
  private final int eotToken;
  private final String tokenizerName;
  private final String tokenizerSha256;
  private final List<String> tokenArtifacts;
  private final List<String> corpusFiles;

  private NgramCounts(Artifact a) throws CorruptArtifactException {
    this.artifact = a;
    Path m = a.dir().resolve(Manifest.FILE_NAME);
    if (!NgramStage.COUNTS_STAGE.equals(a.stage())) {
      throw new IllegalArgumentException(a.id() + " is a '" + a.stage() + "' artifact, not n-gram counts ('"
          + NgramStage.COUNTS_STAGE + "')");
    }
    if (!NgramStoreFormat.FORMAT_NAME.equals(a.manifest().format()) || a.manifest().formatVersion() > NgramStoreFormat.FORMAT_VERSION) {
      throw new CorruptArtifactException(m, "format " + a.manifest().format() + " v" + a.manifest().formatVersion()
          + " is not readable by this saturn; upgrade saturn");
    }
    JsonNode s = a.manifest().stats();
    if (s == null || !s.hasNonNull("order") || !s.hasNonNull("vocabSize") || !s.hasNonNull("tokenizerSha256")) {
      throw new CorruptArtifactException(m, "stats lack order, vocabSize or tokenizerSha256");
    }
    order = s.get("order").asInt();
    partitions = s.path("partitions").asInt(1);
    vocabSize = s.get("vocabSize").asInt();
    eotToken = s.path("eotToken").asInt(-1);
    tokenizerName = s.path("tokenizerName").asText("unknown");
    tokenizerSha256 = s.get("tokenizerSha256").asText();
    List<String> t = new ArrayList<>();
    s.path("tokenArtifacts").forEach(n -> t.add(n.asText()));
    tokenArtifacts = List.copyOf(t);
    List<String> f = new ArrayList<>();
    s.path("corpusFiles").forEach(n -> f.add(n.asText()));
    corpusFiles = List.copyOf(f);
  }

  public static NgramCounts of(Artifact a) throws CorruptArtifactException {
    return new NgramCounts(a);
  }

  public Artifact artifact() {
    return artifact;
  }

  public String id() {
    return artifact.id();
  }

  public int order() {
    return order;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int eotToken() {
    return eotToken;
  }

  public String tokenizerName() {
    return tokenizerName;
  }

  public String tokenizerSha256() {
    return tokenizerSha256;
  }

  /** Every token artifact whose n-grams this store holds (across merges). */
  public List<String> tokenArtifacts() {
    return tokenArtifacts;
  }

  /** The sha256 of every corpus file whose n-grams this store holds (across merges). */
  public List<String> corpusFiles() {
    return corpusFiles;
  }

  public int bytesPerToken() {
    return KeyCodec.bytesFor(vocabSize);
  }

  /** The tokenizer.json copied from the token artifact, when it had one. */
  public Optional<Path> tokenizerFile() throws IOException {
    if (artifact.manifest().file(NgramStoreFormat.TOKENIZER_FILE) == null) return Optional.empty();
    return Optional.of(artifact.verifiedFile(NgramStoreFormat.TOKENIZER_FILE));
  }

  /**
   * Opens the Lucene store. File sizes are checked against the manifest (catches truncation cheaply); with
   * {@code verifyChecksums} every file's CRC32 is recomputed against its Lucene footer.
   */
  public NgramStoreReader open(boolean verifyChecksums) throws IOException {
    for (Manifest.FileEntry f : artifact.manifest().files()) {
      if (!f.path().startsWith(NgramStoreFormat.INDEX_DIR + "/")) continue;
      Path p = artifact.dir().resolve(f.path());
      if (!java.nio.file.Files.isRegularFile(p)) throw new CorruptArtifactException(p, "missing from the n-gram store");
      long size = java.nio.file.Files.size(p);
      if (size != f.size()) {
        throw new CorruptArtifactException(p, "size " + size + " bytes, manifest says " + f.size() + "; the store is truncated or damaged");
      }
    }
    return NgramStoreReader.open(artifact.dir().resolve(NgramStoreFormat.INDEX_DIR), partitions, order, bytesPerToken(),
        verifyChecksums);
  }
}
