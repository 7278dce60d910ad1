package saturn.lmhead;

/** Receives per-epoch progress from a grokking run. */
@FunctionalInterface
public interface GrokListener {
  /** After each epoch (1-based count done), with train and test accuracy and the train loss. */
  void epoch(int done, int total, double trainAcc, double testAcc, double trainLoss);

  GrokListener NONE = (done, total, trainAcc, testAcc, trainLoss) -> {};
}
