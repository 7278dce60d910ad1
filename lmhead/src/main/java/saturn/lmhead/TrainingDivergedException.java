package saturn.lmhead;

import java.nio.file.Path;

/** The loss became NaN or infinite; the run stopped and its checkpoints up to the last good one are kept. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;
  private final Path lastGoodCheckpoint;

  public TrainingDivergedException(long step, double loss, Path lastGoodCheckpoint) {
    super("loss is " + loss + " at step " + step + "; stopped. Last good checkpoint: " + lastGoodCheckpoint
        + " (lower --lr or raise --warmup, then rerun with --resume)");
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  public long step() {
    return step;
  }

  public Path lastGoodCheckpoint() {
    return lastGoodCheckpoint;
  }
}
