package saturn.lmhead;

/** Receives progress from a training run (the CLI draws a progress bar from it). */
public interface TrainListener {
  /** A one-line message (resumed from, cached artifact, validation result). */
  default void info(String message) {}

  /** After each step: 1-based steps done of {@code total}, the step's loss and throughput. */
  default void step(long done, long total, double loss, double tokensPerSecond) {}

  TrainListener NONE = new TrainListener() {};
}
