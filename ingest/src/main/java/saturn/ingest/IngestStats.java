package saturn.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import saturn.ingest.read.CorpusInputs;
import saturn.ingest.read.FileReport;

/**
 * The statistics of a token artifact, stored under {@code stats} in its manifest. The first four fields are the keys
 * {@link TokenArtifact} reads.
 *
 * @param documents documents written (each starts with the end-of-text token when the tokenizer has one)
 * @param textBytes UTF-8 bytes of the text that was tokenized
 * @param tokens tokens written, end-of-text tokens included
 * @param unknownTokens unknown-token and byte-fallback ids (0 for byte-level BPE, which has neither)
 * @param emptyDocuments empty records, blank lines and empty files that gave no document
 * @param replacedChars invalid byte sequences replaced by U+FFFD, all files together (per file in {@code files})
 * @param unsafeCuts long documents cut where no space was found (tokens at those cuts may differ from uncut text)
 */
public record IngestStats(
    @JsonProperty(TokenArtifact.KEY_VOCAB_SIZE) int vocabSize,
    @JsonProperty(TokenArtifact.KEY_EOT_TOKEN) int eotToken,
    @JsonProperty(TokenArtifact.KEY_TOKENIZER_NAME) String tokenizerName,
    @JsonProperty(TokenArtifact.KEY_TOKENIZER_SHA256) String tokenizerSha256,
    String tokenDtype,
    long documents,
    long trainDocuments,
    long valDocuments,
    long textBytes,
    long tokens,
    long trainTokens,
    long valTokens,
    double tokensPerDocument,
    double bytesPerToken,
    long unknownTokens,
    boolean tokenizerHasUnknownOrByteFallback,
    long emptyDocuments,
    long replacedChars,
    long skippedRecords,
    long unsafeCuts,
    int filesRead,
    int filesSkipped,
    List<CorpusInputs.Skipped> skippedFiles,
    List<FileReport> files) {

  /** A few lines for the terminal. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("documents  %,d (train %,d, val %,d)%n", documents, trainDocuments, valDocuments));
    sb.append(String.format("text       %,d bytes%n", textBytes));
    sb.append(String.format("tokens     %,d (train %,d, val %,d), %s, vocabulary %,d, %s%n", tokens, trainTokens,
        valTokens, tokenDtype, vocabSize, eotToken >= 0 ? "end-of-text " + eotToken + " before each document" : "no end-of-text token"));
    sb.append(String.format("per doc    %.1f tokens; %.2f bytes/token%n", tokensPerDocument, bytesPerToken));
    sb.append(tokenizerHasUnknownOrByteFallback
        ? String.format("unknown    %,d unknown/byte-fallback tokens (%.4f%%)%n", unknownTokens, tokens > 0 ? 100.0 * unknownTokens / tokens : 0)
        : "unknown    0 (byte-level tokenizer: every byte has a token)\n");
    sb.append(String.format("files      %,d read, %,d skipped%n", filesRead, filesSkipped));
    for (CorpusInputs.Skipped s : skippedFiles) sb.append("  skipped  ").append(s.path()).append(": ").append(s.reason()).append('\n');
    for (FileReport f : files) {
      if (f.replacedChars > 0) sb.append(String.format("  replaced %,d invalid byte sequences in %s (pass --encoding if it is not UTF-8)%n", f.replacedChars, f.path));
      if (f.skippedRecords > 0) sb.append(String.format("  skipped  %,d bad records in %s (lines %s%s)%n", f.skippedRecords, f.path,
          String.join("; ", f.skippedRecordLines), f.skippedRecords > f.skippedRecordLines.size() ? "; ..." : ""));
      if (f.damaged != null) sb.append("  damaged  ").append(f.damaged).append('\n');
    }
    if (emptyDocuments > 0) sb.append(String.format("empty      %,d empty records/lines gave no document%n", emptyDocuments));
    if (unsafeCuts > 0) sb.append(String.format("cuts       %,d long documents cut without a space (tokens there may differ)%n", unsafeCuts));
    return sb.toString();
  }
}
