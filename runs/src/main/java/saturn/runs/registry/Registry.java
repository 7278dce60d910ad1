package saturn.runs.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.runs.plan.Metric;

/**
 * The run registry: an SQLite database ({@code registry.sqlite} in the workspace) of runs, their stages, the artifacts
 * they produced or found, timings, errors and metrics. Every change is one transaction, the journal is a WAL synced on
 * commit, so a crash loses at most the change in flight. A run whose process died while it was running is marked
 * {@code interrupted} the next time the registry is opened.
 */
public final class Registry implements AutoCloseable {
  public static final String FILE_NAME = "registry.sqlite";
  static final int SCHEMA_VERSION = 2;

  private final Connection db;
  private final Path file;

  private Registry(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  public static Registry open(Workspace workspace) throws IOException {
    return open(workspace.root().resolve(FILE_NAME));
  }

  public static Registry open(Path file) throws IOException {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 30000");
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = FULL");
        s.execute("PRAGMA foreign_keys = ON");
      }
      Registry r = new Registry(file, c);
      r.migrate();
      r.markDeadRunsInterrupted();
      return r;
    } catch (SQLException e) {
      throw new IOException(file + ": cannot open the run registry (" + e.getMessage()
          + "); if the file is damaged, move it aside and rerun — artifacts are not affected", e);
    }
  }

  public Path file() {
    return file;
  }

  private void migrate() throws SQLException {
    inTransaction(() -> {
      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("""
            CREATE TABLE IF NOT EXISTS runs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL,
              kind TEXT NOT NULL,
              spec_path TEXT,
              spec_hash TEXT,
              spec_text TEXT,
              status TEXT NOT NULL,
              started_at TEXT NOT NULL,
              finished_at TEXT,
              seconds REAL,
              host TEXT,
              pid INTEGER,
              pid_started TEXT,
              resumes INTEGER REFERENCES runs(id),
              jobs INTEGER,
              memory_bytes INTEGER,
              cpu_seconds REAL,
              error TEXT)""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS stages (
              run_id INTEGER NOT NULL REFERENCES runs(id),
              seq INTEGER NOT NULL,
              label TEXT NOT NULL,
              kind TEXT NOT NULL,
              config TEXT NOT NULL,
              tags TEXT NOT NULL,
              inputs TEXT NOT NULL,
              input_ids TEXT,
              artifact_id TEXT,
              status TEXT NOT NULL,
              started_at TEXT,
              finished_at TEXT,
              seconds REAL,
              error TEXT,
              PRIMARY KEY (run_id, label))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS artifacts (
              id TEXT PRIMARY KEY,
              stage TEXT NOT NULL,
              created_at TEXT,
              first_run INTEGER REFERENCES runs(id))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS metrics (
              run_id INTEGER NOT NULL REFERENCES runs(id),
              label TEXT NOT NULL,
              name TEXT NOT NULL,
              labels TEXT NOT NULL,
              x TEXT NOT NULL,
              y TEXT NOT NULL,
              PRIMARY KEY (run_id, label, name, labels))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS watch_files (
              dir TEXT NOT NULL,
              path TEXT NOT NULL,
              size INTEGER NOT NULL,
              mtime INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              PRIMARY KEY (dir, path))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS watch_passes (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              dir TEXT NOT NULL,
              spec_path TEXT,
              started_at TEXT NOT NULL,
              finished_at TEXT,
              status TEXT NOT NULL,
              corpora TEXT,
              changed TEXT,
              run_id INTEGER REFERENCES runs(id))""");
        s.execute("CREATE INDEX IF NOT EXISTS stages_artifact ON stages(artifact_id)");
        s.execute("CREATE INDEX IF NOT EXISTS runs_spec ON runs(spec_hash)");
        // Version 1 registries lack runs.cpu_seconds: add it (older rows keep NULL).
        boolean hasCpu = false;
        try (ResultSet cols = s.executeQuery("PRAGMA table_info(runs)")) {
          while (cols.next()) hasCpu |= cols.getString("name").equals("cpu_seconds");
        }
        if (!hasCpu) s.execute("ALTER TABLE runs ADD COLUMN cpu_seconds REAL");
        s.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "') "
            + "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) < " + SCHEMA_VERSION);
      }
      return null;
    });
    String v = queryString("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!String.valueOf(SCHEMA_VERSION).equals(v)) {
      throw new SQLException("registry schema version " + v + ", this saturn knows " + SCHEMA_VERSION + "; use a matching saturn");
    }
  }

  // ---- runs ----

  /** What a new run record says about itself. */
  public record NewRun(String name, String kind, String specPath, String specHash, String specText, int jobs,
      long memoryBytes, Long resumes) {}

  public synchronized long startRun(NewRun r) throws IOException {
    return tx(() -> {
      try (PreparedStatement p = db.prepareStatement("""
          INSERT INTO runs(name, kind, spec_path, spec_hash, spec_text, status, started_at, host, pid, pid_started,
                           resumes, jobs, memory_bytes) VALUES (?,?,?,?,?,'running',?,?,?,?,?,?,?)""",
          Statement.RETURN_GENERATED_KEYS)) {
        ProcessHandle me = ProcessHandle.current();
        p.setString(1, r.name());
        p.setString(2, r.kind());
        p.setString(3, r.specPath());
        p.setString(4, r.specHash());
        p.setString(5, r.specText());
        p.setString(6, now());
        p.setString(7, hostName());
        p.setLong(8, me.pid());
        p.setString(9, me.info().startInstant().map(Instant::toString).orElse(null));
        if (r.resumes() == null) p.setNull(10, java.sql.Types.INTEGER); else p.setLong(10, r.resumes());
        p.setInt(11, r.jobs());
        p.setLong(12, r.memoryBytes());
        p.executeUpdate();
        try (ResultSet k = p.getGeneratedKeys()) {
          k.next();
          return k.getLong(1);
        }
      }
    });
  }

  public synchronized void finishRun(long runId, String status, String error) throws IOException {
    tx(() -> {
      try (PreparedStatement p = db.prepareStatement("""
          UPDATE runs SET status = ?, finished_at = ?, error = ?,
            seconds = (julianday(?) - julianday(started_at)) * 86400.0, cpu_seconds = ? WHERE id = ?""")) {
        String now = now();
        p.setString(1, status);
        p.setString(2, now);
        p.setString(3, error);
        p.setString(4, now);
        p.setDouble(5, processCpuSeconds());
        p.setLong(6, runId);
        p.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement(
          "UPDATE stages SET status = ? WHERE run_id = ? AND status IN ('pending', 'running')")) {
        p.setString(1, status.equals("interrupted") ? "interrupted" : "skipped");
        p.setLong(2, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** A run whose recorded process is gone while it still says {@code running} was killed: mark it interrupted. */
  private void markDeadRunsInterrupted() throws SQLException {
    List<Long> dead = new ArrayList<>();
    String host = hostName();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, host, pid, pid_started FROM runs WHERE status = 'running'")) {
      while (rs.next()) {
        if (!host.equals(rs.getString(2))) continue; // cannot see processes on other machines
        if (!alive(rs.getLong(3), rs.getString(4))) dead.add(rs.getLong(1));
      }
    }
    for (long id : dead) {
      inTransaction(() -> {
        // The end is the last sign of life: the latest stage start or finish (unknown exactly: the process was killed).
        try (PreparedStatement p = db.prepareStatement("""
            UPDATE runs SET status = 'interrupted',
              error = 'the process running it stopped before it finished (killed or crashed)',
              finished_at = COALESCE((SELECT MAX(MAX(COALESCE(finished_at, ''), COALESCE(started_at, ''))) FROM stages
                                      WHERE run_id = runs.id AND started_at IS NOT NULL), started_at)
            WHERE id = ?""")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
        try (PreparedStatement p = db.prepareStatement("""
            UPDATE runs SET seconds = (julianday(finished_at) - julianday(started_at)) * 86400.0 WHERE id = ?""")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
        try (PreparedStatement p = db.prepareStatement(
            "UPDATE stages SET status = 'interrupted' WHERE run_id = ? AND status IN ('pending', 'running')")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
        return null;
      });
    }
  }

  /** CPU time of this process so far, all threads (native ones too): a measure of work that load does not inflate. */
  static double processCpuSeconds() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
    return Double.NaN;
  }

  static boolean alive(long pid, String started) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) return false;
    if (started == null) return true;
    return h.get().info().startInstant().map(i -> i.toString().equals(started)).orElse(true);
  }

  // ---- stages ----

  public synchronized void planStage(long runId, int seq, String label, String kind, Object config, Map<String, String> tags,
      List<String> inputs) throws IOException {
    tx(() -> {
      try (PreparedStatement p = db.prepareStatement("""
          INSERT OR REPLACE INTO stages(run_id, seq, label, kind, config, tags, inputs, status)
          VALUES (?,?,?,?,?,?,?,'pending')""")) {
        p.setLong(1, runId);
        p.setInt(2, seq);
        p.setString(3, label);
        p.setString(4, kind);
        p.setString(5, Json.canonical(config));
        p.setString(6, Json.canonical(tags));
        p.setString(7, Json.canonical(inputs));
        p.executeUpdate();
      }
      return null;
    });
  }

  public synchronized void stageStarted(long runId, String label, List<String> inputIds) throws IOException {
    tx(() -> {
      try (PreparedStatement p = db.prepareStatement(
          "UPDATE stages SET status = 'running', started_at = ?, input_ids = ? WHERE run_id = ? AND label = ?")) {
        p.setString(1, now());
        p.setString(2, Json.canonical(inputIds));
        p.setLong(3, runId);
        p.setString(4, label);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Records how a stage ended; with its artifact (if any) and metrics in the same transaction. */
  public synchronized void stageFinished(long runId, String label, String status, List<String> inputIds,
      String artifactId, String artifactCreatedAt, double seconds, String error, List<Metric> metrics) throws IOException {
    tx(() -> {
      try (PreparedStatement p = db.prepareStatement("""
          UPDATE stages SET status = ?, finished_at = ?, seconds = ?, artifact_id = ?, error = ?,
            input_ids = COALESCE(?, input_ids), started_at = COALESCE(started_at, ?) WHERE run_id = ? AND label = ?""")) {
        String now = now();
        p.setString(1, status);
        p.setString(2, now);
        p.setDouble(3, seconds);
        p.setString(4, artifactId);
        p.setString(5, error);
        p.setString(6, inputIds == null ? null : Json.canonical(inputIds));
        p.setString(7, now);
        p.setLong(8, runId);
        p.setString(9, label);
        p.executeUpdate();
      }
      if (artifactId != null) {
        try (PreparedStatement p = db.prepareStatement(
            "INSERT OR IGNORE INTO artifacts(id, stage, created_at, first_run) VALUES (?,?,?,?)")) {
          p.setString(1, artifactId);
          p.setString(2, artifactId.substring(0, artifactId.lastIndexOf('-')));
          p.setString(3, artifactCreatedAt);
          p.setLong(4, runId);
          p.executeUpdate();
        }
      }
      if (metrics != null) {
        try (PreparedStatement p = db.prepareStatement(
            "INSERT OR REPLACE INTO metrics(run_id, label, name, labels, x, y) VALUES (?,?,?,?,?,?)")) {
          for (Metric m : metrics) {
            p.setLong(1, runId);
            p.setString(2, label);
            p.setString(3, m.name());
            p.setString(4, Json.canonical(m.labels()));
            p.setString(5, numbers(m.x()));
            p.setString(6, numbers(m.y()));
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      return null;
    });
  }

  // ---- queries ----

  /** One row of {@code runs}. */
  public record RunRow(long id, String name, String kind, String specPath, String specHash, String specText, String status,
      String startedAt, String finishedAt, Double seconds, String host, long pid, Long resumes, int jobs, long memoryBytes,
      Double cpuSeconds, String error) {}

  /** One row of {@code stages}. */
  public record StageRow(long runId, int seq, String label, String kind, String config, Map<String, String> tags,
      List<String> inputs, List<String> inputIds, String artifactId, String status, String startedAt, String finishedAt,
      Double seconds, String error) {}

  public synchronized List<RunRow> runs(int limit) throws IOException {
    return query("SELECT * FROM runs ORDER BY id DESC LIMIT " + Math.max(1, limit), Registry::runRow);
  }

  public synchronized Optional<RunRow> run(long id) throws IOException {
    List<RunRow> r = query("SELECT * FROM runs WHERE id = " + id, Registry::runRow);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /** A run by id, or {@code latest} / {@code latest~N}; fails saying how to list runs. */
  public synchronized RunRow resolve(String ref) throws IOException {
    String r = ref.trim();
    if (r.startsWith("latest")) {
      int back = r.startsWith("latest~") ? Integer.parseInt(r.substring(7)) : 0;
      List<RunRow> all = runs(back + 1);
      if (all.size() <= back) throw new IllegalArgumentException("no run '" + ref + "' in " + file + "; `saturn runs list` shows the runs");
      return all.get(back);
    }
    long id;
    try {
      id = Long.parseLong(r.startsWith("run-") ? r.substring(4) : r);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + ref + "' is not a run id; give a number from `saturn runs list` or 'latest'");
    }
    return run(id).orElseThrow(() -> new IllegalArgumentException("no run " + id + " in " + file + "; `saturn runs list` shows the runs"));
  }

  /** The latest run of a spec with this hash, if any. */
  public synchronized Optional<RunRow> latestRunOfSpec(String specHash) throws IOException {
    try (PreparedStatement p = db.prepareStatement("SELECT * FROM runs WHERE spec_hash = ? ORDER BY id DESC LIMIT 1")) {
      p.setString(1, specHash);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(runRow(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  public synchronized List<StageRow> stages(long runId) throws IOException {
    return query("SELECT * FROM stages WHERE run_id = " + runId + " ORDER BY seq", Registry::stageRow);
  }

  /** Seconds a stage with this exact config took when it last ran (not when it was found cached), for estimates. */
  public synchronized Optional<Double> pastSeconds(String kind, Object config) throws IOException {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT seconds FROM stages WHERE kind = ? AND config = ? AND status = 'done' ORDER BY finished_at DESC LIMIT 1")) {
      p.setString(1, kind);
      p.setString(2, Json.canonical(config));
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(rs.getDouble(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }



  public synchronized List<MetricRow> metrics(long runId) throws IOException {
    return query("SELECT * FROM metrics WHERE run_id = " + runId + " ORDER BY label, name, labels", rs -> new MetricRow(
        rs.getLong("run_id"), rs.getString("label"),
        new Metric(rs.getString("name"), Json.MAPPER.readValue(rs.getString("labels"), new TypeReference<Map<String, String>>() {}),
            parseNumbers(rs.getString("x")), parseNumbers(rs.getString("y")))));
  }

  /** A metric as recorded by one stage of one run. */
  public record MetricRow(long runId, String label, Metric metric) {}

  // ---- watch ----

  /** What the registry remembers of a watched file, to skip hashing it again when size and mtime are unchanged. */
  public record WatchedFile(String path, long size, long mtime, String sha256) {}

  public synchronized Map<String, WatchedFile> watchedFiles(String dir) throws IOException {
    Map<String, WatchedFile> out = new java.util.HashMap<>();
    try (PreparedStatement p = db.prepareStatement("SELECT path, size, mtime, sha256 FROM watch_files WHERE dir = ?")) {
      p.setString(1, dir);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), new WatchedFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw io(e);
    }
    return out;
  }

  public synchronized void rememberFiles(String dir, List<WatchedFile> files) throws IOException {
    tx(() -> {
      try (PreparedStatement del = db.prepareStatement("DELETE FROM watch_files WHERE dir = ?")) {
        del.setString(1, dir);
        del.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement("INSERT INTO watch_files(dir, path, size, mtime, sha256) VALUES (?,?,?,?,?)")) {
        for (WatchedFile f : files) {
          p.setString(1, dir);
          p.setString(2, f.path());
          p.setLong(3, f.size());
          p.setLong(4, f.mtime());
          p.setString(5, f.sha256());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  public synchronized long startPass(String dir, String specPath) throws IOException {
    return tx(() -> {
      try (PreparedStatement p = db.prepareStatement(
          "INSERT INTO watch_passes(dir, spec_path, started_at, status) VALUES (?,?,?,'running')", Statement.RETURN_GENERATED_KEYS)) {
        p.setString(1, dir);
        p.setString(2, specPath);
        p.setString(3, now());
        p.executeUpdate();
        try (ResultSet k = p.getGeneratedKeys()) {
          k.next();
          return k.getLong(1);
        }
      }
    });
  }

  public synchronized void finishPass(long passId, String status, Object corpora, Object changed, Long runId) throws IOException {
    tx(() -> {
      try (PreparedStatement p = db.prepareStatement(
          "UPDATE watch_passes SET finished_at = ?, status = ?, corpora = ?, changed = ?, run_id = ? WHERE id = ?")) {
        p.setString(1, now());
        p.setString(2, status);
        p.setString(3, Json.canonical(corpora));
        p.setString(4, Json.canonical(changed));
        if (runId == null) p.setNull(5, java.sql.Types.INTEGER); else p.setLong(5, runId);
        p.setLong(6, passId);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** One pass of {@code saturn watch}. */
  public record PassRow(long id, String dir, String startedAt, String finishedAt, String status, String corpora,
      String changed, Long runId) {}

  public synchronized List<PassRow> passes(String dir) throws IOException {
    try (PreparedStatement p = db.prepareStatement("SELECT * FROM watch_passes WHERE dir = ? ORDER BY id")) {
      p.setString(1, dir);
      List<PassRow> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long run = rs.getLong("run_id");
          out.add(new PassRow(rs.getLong("id"), rs.getString("dir"), rs.getString("started_at"), rs.getString("finished_at"),
              rs.getString("status"), rs.getString("corpora"), rs.getString("changed"), rs.wasNull() ? null : run));
        }
      }
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  // ---- plumbing ----

  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException, IOException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException, IOException;
  }

  private <T> T tx(SqlWork<T> work) throws IOException {
    try {
      return inTransaction(work);
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private synchronized <T> T inTransaction(SqlWork<T> work) throws SQLException {
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      T v = work.run();
      db.commit();
      return v;
    } catch (SQLException | IOException | RuntimeException e) {
      db.rollback();
      if (e instanceof SQLException s) throw s;
      throw new SQLException(e.getMessage(), e);
    } finally {
      db.setAutoCommit(auto);
    }
  }

  private <T> List<T> query(String sql, RowMapper<T> map) throws IOException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(map.map(rs));
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private String queryString(String sql) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static RunRow runRow(ResultSet rs) throws SQLException {
    double secs = rs.getDouble("seconds");
    Double seconds = rs.wasNull() ? null : secs;
    long res = rs.getLong("resumes");
    Long resumes = rs.wasNull() ? null : res;
    double cpu = rs.getDouble("cpu_seconds");
    Double cpuSeconds = rs.wasNull() ? null : cpu;
    return new RunRow(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("spec_path"),
        rs.getString("spec_hash"), rs.getString("spec_text"), rs.getString("status"), rs.getString("started_at"),
        rs.getString("finished_at"), seconds, rs.getString("host"), rs.getLong("pid"), resumes, rs.getInt("jobs"),
        rs.getLong("memory_bytes"), cpuSeconds, rs.getString("error"));
  }

  private static StageRow stageRow(ResultSet rs) throws SQLException, IOException {
    double secs = rs.getDouble("seconds");
    Double seconds = rs.wasNull() ? null : secs;
    String inIds = rs.getString("input_ids");
    return new StageRow(rs.getLong("run_id"), rs.getInt("seq"), rs.getString("label"), rs.getString("kind"),
        rs.getString("config"), Json.MAPPER.readValue(rs.getString("tags"), new TypeReference<Map<String, String>>() {}),
        Json.MAPPER.readValue(rs.getString("inputs"), new TypeReference<List<String>>() {}),
        inIds == null ? List.of() : Json.MAPPER.readValue(inIds, new TypeReference<List<String>>() {}),
        rs.getString("artifact_id"), rs.getString("status"), rs.getString("started_at"), rs.getString("finished_at"),
        seconds, rs.getString("error"));
  }

  private static String numbers(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(Double.isFinite(v[i]) ? Double.toString(v[i]) : "null");
    }
    return sb.append(']').toString();
  }

  private static double[] parseNumbers(String json) throws IOException {
    var node = Json.MAPPER.readTree(json);
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) out[i] = node.get(i).isNull() ? Double.NaN : node.get(i).asDouble();
    return out;
  }

  private static IOException io(SQLException e) {
    return new IOException("run registry: " + e.getMessage(), e);
  }

  static String now() {
    return Instant.now().toString();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw io(e);
    }
  }
}
