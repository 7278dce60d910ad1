package saturn.runs.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pipeline: stages in an order where every stage comes after its inputs (so the graph has no cycles). */
public final class Plan {
  private final Map<String, PlanNode> stages = new LinkedHashMap<>();

  public Plan(List<? extends PlanNode> ordered) {
    for (PlanNode s : ordered) {
      for (String in : s.inputs()) {
        if (!stages.containsKey(in)) {
          throw new IllegalArgumentException("stage '" + s.label() + "' takes '" + in + "', which is not defined before it");
        }
      }
      if (stages.put(s.label(), s) != null) throw new IllegalArgumentException("two stages are labelled '" + s.label() + "'");
    }
  }

  public List<PlanNode> stages() {
    return List.copyOf(stages.values());
  }

  public PlanNode get(String label) {
    return stages.get(label);
  }

  public int size() {
    return stages.size();
  }

  /** Stages that (transitively) take {@code label}'s artifact. */
  public List<String> downstreamOf(String label) {
    List<String> out = new ArrayList<>();
    java.util.Set<String> hit = new java.util.HashSet<>(Collections.singleton(label));
    for (PlanNode s : stages.values()) {
      if (s.inputs().stream().anyMatch(hit::contains)) {
        hit.add(s.label());
        out.add(s.label());
      }
    }
    return out;
  }
}
