package saturn.ngram.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A HuggingFace tokenizer.json through DJL, set up for corpora: no truncation at 512, no special tokens added. */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  public TextTokenizer(Path tokenizerJson) throws IOException {
    this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
        Map.of("truncation", "false", "addSpecialTokens", "false", "padding", "false"));
  }

  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
    return out;
  }

  public String decode(int id) {
    return tokenizer.decode(new long[] {id}, false);
  }

  /** The id of a special token such as {@code <|endoftext|>}, or -1. */
  public int tokenId(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    return ids.length == 1 ? (int) ids[0] : -1;
  }


  @Override
  public void close() {
    tokenizer.close();
  }
}
