package saturn.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where and with what an artifact was made: saturn, JVM, OS, machine and the versions of the libraries saturn uses,
 * read from the jars' own Maven metadata (so they cannot drift from the build).
 */
public final class Provenance {
  /** Libraries whose versions matter for reproducing a result: name → (groupId, artifactId). */
  public static final Map<String, String[]> LIBRARIES = new LinkedHashMap<>();

  static {
    LIBRARIES.put("djl", new String[] {"ai.djl", "api"});
    LIBRARIES.put("djl-pytorch-engine", new String[] {"ai.djl.pytorch", "pytorch-engine"});
    LIBRARIES.put("pytorch-jni", new String[] {"ai.djl.pytorch", "pytorch-jni"});
    LIBRARIES.put("pytorch-native", new String[] {"ai.djl.pytorch", "pytorch-native-cpu"});
    LIBRARIES.put("djl-tokenizers", new String[] {"ai.djl.huggingface", "tokenizers"});
    LIBRARIES.put("nd4j", new String[] {"org.nd4j", "nd4j-native"});
    LIBRARIES.put("lucene", new String[] {"org.apache.lucene", "lucene-core"});
    LIBRARIES.put("arrow", new String[] {"org.apache.arrow", "arrow-vector"});
    LIBRARIES.put("jtokkit", new String[] {"com.knuddels", "jtokkit"});
    LIBRARIES.put("picocli", new String[] {"info.picocli", "picocli"});
  }

  private Provenance() {}

  /** saturn's own version, from the build. */
  public static String saturnVersion() {
    String v = mavenVersion("dev.saturn", "saturn-ingest");
    return v == null ? "dev" : v;
  }

  /**
   * The version of a library on the class path, or null when it is not there: from its Maven metadata, else (for
   * jars built by Gradle, like DJL's and Lucene's) from the jar's path in the Maven repository layout, else from a
   * jar named {@code artifactId-version.jar} (a flat lib directory, as in the GPU bundle).
   */
  public static String mavenVersion(String groupId, String artifactId) {
    String res = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Provenance.class.getResourceAsStream(res)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version");
      }
    } catch (IOException e) {
      // fall through to the class path
    }
    String dir = "/" + groupId.replace('.', '/') + "/" + artifactId + "/";
    for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      int at = e.indexOf(dir);
      if (at >= 0 && e.endsWith(".jar")) {
        String rest = e.substring(at + dir.length());
        int slash = rest.indexOf('/');
        if (slash > 0) return rest.substring(0, slash);
      }
    }
    for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      String name = entry.substring(entry.replace('\\', '/').lastIndexOf('/') + 1);
      if (name.startsWith(artifactId + "-") && name.endsWith(".jar") && name.length() > artifactId.length() + 5
          && Character.isDigit(name.charAt(artifactId.length() + 1))) {
        return name.substring(artifactId.length() + 1, name.length() - 4).replace("-linux-x86_64", "");
      }
    }
    return null;
  }

  /** Versions of the libraries present on the class path (absent ones are left out). */
  public static Map<String, String> libraryVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    LIBRARIES.forEach((name, ga) -> {
      String v = mavenVersion(ga[0], ga[1]);
      if (v != null) out.put(name, v);
    });
    // A libtorch from outside the class path (the GPU bundle loads python torch's): record that one, not the jar's.
    String external = System.getProperty("saturn.libtorch");
    if (external != null && !external.isBlank()) {
      out.put("pytorch-native", external + " (" + System.getenv().getOrDefault("PYTORCH_LIBRARY_PATH", "external") + ")");
      // and the JNI that drives it (one built for that libtorch), not the pytorch-jni jar's
      out.put("pytorch-jni", System.getProperty("saturn.djl.jni", "unknown"));
    }
    return out;
  }

  /** The provenance block of a manifest. */
  public static Map<String, Object> current() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("saturn", saturnVersion());
    p.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    p.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    p.put("host", hostName());
    p.put("libraries", libraryVersions());
    return p;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
