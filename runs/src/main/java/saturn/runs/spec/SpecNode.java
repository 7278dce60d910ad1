package saturn.runs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of a parsed YAML spec that remembers its file and line, so every check on it can fail with a message that
 * names the line. Wraps SnakeYAML's composed node tree (no Java objects are constructed from YAML tags).
 */
public final class SpecNode {
  private final String file;
  private final String path;
  private final Node node;
  private final int keyLine;

  SpecNode(String file, String path, Node node) {
    this(file, path, node, -1);
  }

  private SpecNode(String file, String path, Node node, int keyLine) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.keyLine = keyLine;
  }

  /** 1-based line of the key this node is the value of (its own line for list items and the root). */
  public int keyLine() {
    return keyLine > 0 ? keyLine : line();
  }

  /** 1-based line where this node starts. */
  public int line() {
    return node.getStartMark().getLine() + 1;
  }

  /** Dotted path from the document root, e.g. {@code models.heads[1]}. */
  public String path() {
    return path;
  }

  public SpecException error(String message) {
    return new SpecException(file, line(), (path.isEmpty() ? "" : path + ": ") + message);
  }

  public boolean isMap() {
    return node instanceof MappingNode;
  }

  public boolean isList() {
    return node instanceof SequenceNode;
  }

  public boolean isScalar() {
    return node instanceof ScalarNode;
  }

  public boolean isNull() {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  /** The entries of a mapping, in file order; duplicate keys are an error. */
  public Map<String, SpecNode> map() {
    if (!isMap()) throw error("expected a mapping (key: value lines), found " + describe());
    Map<String, SpecNode> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new SpecNode(file, path, t.getKeyNode()).error("keys must be plain names");
      }
      String key = k.getValue();
      SpecNode child = new SpecNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode(), k.getStartMark().getLine() + 1);
      if (out.containsKey(key)) throw new SpecNode(file, child.path, t.getKeyNode()).error("duplicate key '" + key + "'");
      out.put(key, child);
    }
    return out;
  }

  /** A mapping whose keys must all be among {@code allowed}; an unknown key fails naming its line. */
  public Map<String, SpecNode> map(Collection<String> allowed) {
    Map<String, SpecNode> m = map();
    for (Map.Entry<String, SpecNode> e : m.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw e.getValue().keyError("unknown key '" + e.getKey() + "'; expected one of " + Set.copyOf(allowed).stream().sorted().toList());
      }
    }
    return m;
  }

  private SpecException keyError(String message) {
    String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
    return new SpecException(file, line(), (parent.isEmpty() ? "" : parent + ": ") + message);
  }

  public List<SpecNode> list() {
    if (!isList()) throw error("expected a list, found " + describe());
    List<SpecNode> out = new ArrayList<>();
    List<Node> items = ((SequenceNode) node).getValue();
    for (int i = 0; i < items.size(); i++) out.add(new SpecNode(file, path + "[" + i + "]", items.get(i)));
    return out;
  }

  /** A list, or a single scalar taken as a list of one ({@code heads: softmax} = {@code heads: [softmax]}). */
  public List<SpecNode> listOrOne() {
    return isList() ? list() : List.of(this);
  }

  public String string() {
    if (!isScalar() || isNull()) throw error("expected a value, found " + describe());
    return ((ScalarNode) node).getValue();
  }

  public List<String> strings() {
    List<String> out = new ArrayList<>();
    for (SpecNode n : listOrOne()) out.add(n.string());
    if (out.isEmpty()) throw error("list is empty");
    return out;
  }

  public long integer() {
    String s = string().replace("_", "");
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw error("expected an integer, found '" + s + "'");
    }
  }

  public List<Long> integers() {
    List<Long> out = new ArrayList<>();
    for (SpecNode n : listOrOne()) out.add(n.integer());
    if (out.isEmpty()) throw error("list is empty");
    return out;
  }

  public int positiveInt() {
    long v = integer();
    if (v <= 0 || v > Integer.MAX_VALUE) throw error("expected a positive integer, found " + v);
    return (int) v;
  }

  /** A size like {@code 512m}, {@code 4g} or a plain number of bytes. */
  public long bytes() {
    try {
      return saturn.stage.ByteSize.parse(string()).bytes();
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /** The node as JSON with YAML's resolved types (int, float, bool, null, string). */
  public JsonNode json() {
    return toJson(node);
  }

  private JsonNode toJson(Node n) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n instanceof ScalarNode s) {
      Tag t = s.getTag();
      String v = s.getValue();
      if (t.equals(Tag.NULL)) return f.nullNode();
      if (t.equals(Tag.BOOL)) return f.booleanNode(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on"));
      if (t.equals(Tag.INT)) {
        BigInteger b = new BigInteger(v.replace("_", ""));
        return b.bitLength() < 63 ? f.numberNode(b.longValue()) : f.numberNode(b);
      }
      if (t.equals(Tag.FLOAT)) {
        try {
          return f.numberNode(Double.parseDouble(v.replace("_", "")));
        } catch (NumberFormatException e) {
          return f.textNode(v); // .inf / .nan spellings stay strings
        }
      }
      return f.textNode(v);
    }
    if (n instanceof SequenceNode seq) {
      ArrayNode a = f.arrayNode();
      for (Node c : seq.getValue()) a.add(toJson(c));
      return a;
    }
    ObjectNode o = f.objectNode();
    for (Map.Entry<String, SpecNode> e : new SpecNode(file, path, n).map().entrySet()) o.set(e.getKey(), toJson(e.getValue().node));
    return o;
  }

  private String describe() {
    if (isNull()) return "nothing";
    if (isMap()) return "a mapping";
    if (isList()) return "a list";
    return "'" + ((ScalarNode) node).getValue() + "'";
  }
}
