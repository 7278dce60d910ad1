package saturn.stage;

/**
 * The one way a stage reports while it runs. The CLI draws a progress bar (or plain lines when stderr is not a
 * terminal), the pipeline runner prefixes lines with the stage's label, tests may collect or ignore them.
 */
public interface StageListener {
  StageListener SILENT = new StageListener() {};

  /** A one-line note: what was found, chosen, skipped or measured. */
  default void note(String line) {}

  /** A snapshot of progress; stages send one every few hundred milliseconds at most, and a last one when done. */
  default void progress(Progress p) {}
}
