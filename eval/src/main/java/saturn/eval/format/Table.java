package saturn.eval.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small in-memory column table (metrics are at most thousands of rows): typed columns of equal length. Built row by
 * row, written by {@link TableWriter}, read back by {@link TableReader}.
 */
public final class Table {
  /** Column types the eval tables use. */
  public enum Type { STRING, LONG, DOUBLE, BOOLEAN }

  /** A column: its name, type and values (String, Long, Double or Boolean; null for missing). */
  public record Column(String name, Type type, List<Object> values) {}

  private final String kind;
  private final Map<String, Column> columns = new LinkedHashMap<>();
  private int rows;

  public Table(String kind) {
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }

  public Table column(String name, Type type) {
    if (rows > 0) throw new IllegalStateException("declare columns before adding rows");
    columns.put(name, new Column(name, type, new ArrayList<>()));
    return this;
  }

  /** Appends a row; values in column order. */
  public Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(kind + ": row has " + values.length + " values for " + columns.size() + " columns");
    }
    int i = 0;
    for (Column c : columns.values()) c.values().add(coerce(c, values[i++]));
    rows++;
    return this;
  }

  /** Used by the reader: adopts a fully built column. */
  void put(Column c) {
    columns.put(c.name(), c);
    rows = c.values().size();
  }

  public int rows() {
    return rows;
  }

  public List<Column> columns() {
    return Collections.unmodifiableList(new ArrayList<>(columns.values()));
  }

  public boolean has(String name) {
    return columns.containsKey(name);
  }

  public Column get(String name) {
    Column c = columns.get(name);
    if (c == null) throw new IllegalArgumentException(kind + " table has no column '" + name + "'; it has " + columns.keySet());
    return c;
  }

  public String string(String col, int row) {
    Object v = get(col).values().get(row);
    return v == null ? null : v.toString();
  }

  public double dbl(String col, int row) {
    Object v = get(col).values().get(row);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  public long lng(String col, int row) {
    Object v = get(col).values().get(row);
    if (v == null) throw new IllegalArgumentException(kind + ": column " + col + " row " + row + " is empty");
    return ((Number) v).longValue();
  }

  private Object coerce(Column c, Object v) {
    if (v == null) return null;
    switch (c.type()) {
      case STRING: return v.toString();
      case LONG: return ((Number) v).longValue();
      case DOUBLE: return ((Number) v).doubleValue();
      default: return (Boolean) v;
    }
  }
}
