package saturn.stage;

import java.util.List;

/**
 * What a stage is asked to make: every setting that decides the artifact's content, validated when constructed, and
 * the ids of the input artifacts it reads. Implementations are records built by builders ({@code set*} required,
 * {@code opt*} optional, validated in {@code build()}); how fast the work runs (threads, memory) is not part of a
 * spec but of the {@link Resources} in the {@link StageContext}.
 */
public interface StageSpec {

  /** Ids of the artifacts this spec reads, in the order the stage reads them (empty for stages reading files). */
  List<String> inputIds();
}
