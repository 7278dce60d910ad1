package saturn.stage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;

/**
 * How a stage opens the input artifacts its spec names: by exact id, checked to be of the stage it reads. The opened
 * {@link Artifact}s are what {@link saturn.artifact.ArtifactSpec#of} records (id and content digest), so provenance
 * always names what was read.
 */
public final class Inputs {
  private Inputs() {}

  /** The artifact {@code id}, which must be a {@code stage} artifact; the option that named it goes in messages. */
  public static Artifact open(Workspace ws, String id, String stage, String option) throws IOException {
    Artifact a;
    try {
      a = ws.byId(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + id + ": " + e.getMessage(), e);
    }
    if (!a.stage().equals(stage)) {
      throw new IllegalArgumentException(option + " " + id + " is a '" + a.stage() + "' artifact; expected a '" + stage
          + "' artifact (`saturn artifacts list --stage " + stage + "` lists them)");
    }
    return a;
  }

  /** Each id opened as by {@link #open}; an id given twice is refused, naming it. */
  public static List<Artifact> openAll(Workspace ws, List<String> ids, String stage, String option) throws IOException {
    List<Artifact> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.subList(0, i).contains(ids.get(i))) {
        throw new IllegalArgumentException(option + " names " + ids.get(i) + " twice; give each input artifact once");
      }
      out.add(open(ws, ids.get(i), stage, option));
    }
    return out;
  }

  /**
   * The id that stands for an input held in memory rather than published (benchmarks and tests that call a stage's
   * computation directly): {@code <stage>-0000000000000000}. No stage can open it.
   */
  public static String inMemory(String stage) {
    return stage + "-0000000000000000";
  }

  /** Checks an artifact id's form (stage-hex), for specs to validate at construction. */
  public static String checkId(String id, String option) {
    if (id == null || !id.matches("[a-z][a-z0-9-]*-[0-9a-f]{16}")) {
      throw new IllegalArgumentException(option + ": '" + id + "' is not a full artifact id (stage-<16 hex digits>)");
    }
    return id;
  }
}
