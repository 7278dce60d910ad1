package saturn.runs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IVersionProvider;
import saturn.artifact.Provenance;

/** saturn's version and those of the libraries whose numerics and formats it depends on. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    List<String> lines = new ArrayList<>();
    lines.add("saturn " + Provenance.saturnVersion());
    Map<String, String> libs = Provenance.libraryVersions();
    lines.add("  DJL       " + libs.getOrDefault("djl", "absent"));
    lines.add("  PyTorch   " + libs.getOrDefault("pytorch-native", "absent") + " (JNI " + libs.getOrDefault("pytorch-jni", "absent") + ")");
    lines.add("  ND4J      " + libs.getOrDefault("nd4j", "absent"));
    lines.add("  Lucene    " + libs.getOrDefault("lucene", "absent"));
    lines.add("  Arrow     " + libs.getOrDefault("arrow", "absent"));
    lines.add("  tokenizers " + libs.getOrDefault("djl-tokenizers", "absent"));
    lines.add("  Java      " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return lines.toArray(String[]::new);
  }
}
