package saturn.runs.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import saturn.artifact.Json;

/** Escaping for the report: text into HTML and Markdown, data into an inline {@code <script>} element. */
public final class Html {
  private Html() {}

  /** Escapes text for HTML element content and quoted attribute values. */
  public static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Escapes text for a Markdown table cell (HTML-escaped too: many Markdown viewers render inline HTML). */
  public static String md(String s) {
    return esc(s).replace("|", "\\|").replace("`", "\\`").replace("\r", " ").replace("\n", " ");
  }

  /**
   * JSON safe inside {@code <script type="application/json">}: {@code <}, {@code >}, {@code &} and the JavaScript line
   * separators are written as \\u escapes, so no string from a corpus or config can close the element.
   */
  public static String scriptJson(Object value) {
    try {
      ObjectWriter w = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
      var factory = Json.MAPPER.getFactory().copy().setCharacterEscapes(new ScriptEscapes());
      java.io.StringWriter out = new java.io.StringWriter();
      try (var gen = factory.createGenerator(out)) {
        w.writeValue(gen, value);
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class ScriptEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table;

    ScriptEscapes() {
      table = standardAsciiEscapesForJSON();
      table['<'] = ESCAPE_STANDARD;
      table['>'] = ESCAPE_STANDARD;
      table['&'] = ESCAPE_STANDARD;
      table['\''] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) return new SerializedString("\\u2028");
      if (ch == 0x2029) return new SerializedString("\\u2029");
      return null;
    }
  }
}
