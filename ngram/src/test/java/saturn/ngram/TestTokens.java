package saturn.ngram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;

/** Writes token artifacts directly (as the ingest stage would) for tests. */
final class TestTokens {
  private TestTokens() {}

  /**
   * A token artifact whose train split holds {@code docs}, each preceded by {@code eot} when eot >= 0.
   *
   * @param tokenizerFile copied in as tokenizer.json when not null
   */
  static Artifact write(Workspace ws, String name, List<int[]> docs, int vocab, int eot, String tokenizerSha,
      Path tokenizerFile) throws IOException {
    return write(ws, name, docs, vocab, eot, tokenizerSha, tokenizerFile, List.of());
  }

  /** As above, recording {@code corpusFileHashes} as the corpus files it was ingested from (as ingest does). */
  static Artifact write(Workspace ws, String name, List<int[]> docs, int vocab, int eot, String tokenizerSha,
      Path tokenizerFile, List<String> corpusFileHashes) throws IOException {
    List<Map<String, Object>> files = corpusFileHashes.stream()
        .map(h -> Map.<String, Object>of("name", "file-" + h, "format", "txt", "bytes", 1, "sha256", h)).toList();
    ArtifactSpec spec = ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION,
        Map.of("test", name, "files", files), List.<Artifact>of());
    return ws.obtain(spec, p -> {
      try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.TRAIN, vocab, 1 << 20)) {
        for (int[] d : docs) {
          w.beginDocument();
          if (eot >= 0) w.write(eot);
          w.write(d, 0, d.length);
        }
      }
      try (TokenShardWriter w = new TokenShardWriter(p.dir(), TokenShardFormat.VAL, vocab, 1 << 20)) {
        // empty val split
      }
      if (tokenizerFile != null) Files.copy(tokenizerFile, p.dir().resolve(TokenArtifact.TOKENIZER_FILE));
      p.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, vocab, TokenArtifact.KEY_EOT_TOKEN, eot,
          TokenArtifact.KEY_TOKENIZER_NAME, "test-" + tokenizerSha, TokenArtifact.KEY_TOKENIZER_SHA256, tokenizerSha));
    });
  }
}
