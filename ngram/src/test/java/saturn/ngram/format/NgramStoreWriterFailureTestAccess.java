package saturn.ngram.format;

/** Lets tests of other packages check that no store writer thread is left. */
public final class NgramStoreWriterFailureTestAccess {
  private NgramStoreWriterFailureTestAccess() {}

  public static void assertNoStoreThreadLeft() throws InterruptedException {
    NgramStoreWriterFailureTest.assertNoStoreThreadLeft();
  }
}
