package saturn.stage;

import java.util.Objects;
import saturn.artifact.Workspace;

/**
 * What the caller grants a running stage besides its spec: the workspace, the resources it may use and the one
 * listener it reports to.
 */
public record StageContext(Workspace workspace, Resources resources, StageListener listener) {

  public StageContext {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(resources, "resources");
    listener = listener == null ? StageListener.SILENT : listener;
  }

  public static StageContext of(Workspace workspace) {
    return new StageContext(workspace, Resources.defaults(), StageListener.SILENT);
  }

  public StageContext withListener(StageListener l) {
    return new StageContext(workspace, resources, l);
  }

  public StageContext withResources(Resources r) {
    return new StageContext(workspace, r, listener);
  }
}
