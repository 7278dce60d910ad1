package saturn.stage;

import java.io.IOException;
import java.util.Optional;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;

/**
 * One stage of saturn: a validated spec in, one published artifact out.
 *
 * <p>{@link #identify} opens the inputs the spec names (reading manifests, never bulk data), checks that they fit
 * together and returns the identity of the artifact they make; {@link #make} computes it. {@link #run} ties the two
 * together the same way for every stage: an artifact already published under that identity is returned instead of
 * being computed again, so the artifact id is the only cache key.
 *
 * @param <S> the stage's spec
 */
public interface Stage<S extends StageSpec> {

  /** The stage's name: the directory its artifacts are published in and the kind the run registry records. */
  String name();

  /**
   * The identity of the artifact {@code spec} makes: stage, format, the spec's settings and the ids and content
   * digests of the inputs, which this method opens itself (see {@link Inputs}). Cheap: manifests only.
   */
  ArtifactSpec identify(Workspace workspace, S spec) throws IOException;

  /**
   * Computes and publishes the artifact {@code identity} names. Called by {@link #run} only when no artifact with that
   * identity is published; must publish exactly that identity.
   */
  Artifact make(S spec, ArtifactSpec identity, StageContext context) throws IOException;

  /** The artifact of {@code spec}: the one already published, or a new one. */
  default Artifact run(S spec, StageContext context) throws IOException {
    ArtifactSpec identity = identify(context.workspace(), spec);
    Optional<Artifact> published = context.workspace().find(identity);
    if (published.isPresent()) {
      context.listener().note("found " + identity.id() + " (same inputs and settings); nothing to do");
      return published.get();
    }
    Artifact made = make(spec, identity, context);
    if (!made.id().equals(identity.id())) {
      throw new IllegalStateException(name() + " published " + made.id() + " but its inputs and spec name "
          + identity.id() + "; the stage is not a pure function of them");
    }
    return made;
  }
}
