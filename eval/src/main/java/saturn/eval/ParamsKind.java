package saturn.eval;

/** Which parameter count N a scaling law uses. */
public enum ParamsKind {
  /** All parameters, embeddings and head included (Chinchilla's convention). */
  TOTAL,
  /** Parameters without the input embedding and the output head (Kaplan's convention). */
  NON_EMBEDDING;

  public static ParamsKind parse(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
      case "total": return TOTAL;
      case "non-embedding": case "nonembedding": return NON_EMBEDDING;
      default: throw new IllegalArgumentException("--params must be total or non-embedding, got '" + s + "'");
    }
  }
}
