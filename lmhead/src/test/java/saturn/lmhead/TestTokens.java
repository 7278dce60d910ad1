package saturn.lmhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardWriter;

/** Writes small token artifacts for tests: byte-level tokens (vocab 257, end-of-text 256) of real English text. */
final class TestTokens {
  static final String TEXT = """
      It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness,
      it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was the season of
      Darkness, it was the spring of hope, it was the winter of despair, we had everything before us, we had nothing
      before us, we were all going direct to Heaven, we were all going direct the other way.
      """;

  private TestTokens() {}

  static TokenArtifact bytes(Workspace ws, String text, int trainCopies) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ArtifactSpec spec = ArtifactSpec.of(TokenArtifact.STAGE, TokenShardFormat.FORMAT_NAME, TokenShardFormat.FORMAT_VERSION,
        Map.of("test", "bytes", "copies", trainCopies, "textHash", text.hashCode()), List.of());
    Artifact a = ws.obtain(spec, p -> {
      try (TokenShardWriter train = new TokenShardWriter(p.dir(), TokenShardFormat.TRAIN, 257, 1 << 20);
          TokenShardWriter val = new TokenShardWriter(p.dir(), TokenShardFormat.VAL, 257, 1 << 20)) {
        for (int c = 0; c < trainCopies; c++) {
          train.beginDocument();
          train.write(256);
          for (byte x : b) train.write(x & 0xff);
        }
        val.beginDocument();
        val.write(256);
        for (byte x : b) val.write(x & 0xff);
      }
      p.stats(Map.of(TokenArtifact.KEY_VOCAB_SIZE, 257, TokenArtifact.KEY_EOT_TOKEN, 256,
          TokenArtifact.KEY_TOKENIZER_NAME, "bytes", TokenArtifact.KEY_TOKENIZER_SHA256, "0".repeat(64)));
    });
    return TokenArtifact.of(a);
  }
}
