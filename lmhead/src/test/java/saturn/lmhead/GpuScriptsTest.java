package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logic of the GPU scripts in lmhead/gpu, on the CPU, with a stand-in python that answers like a given torch:
 * the launcher picks the JNI that build-djl-jni.sh installs (same path from both), refuses a torch it has no JNI
 * for, and the scripts reject bad arguments before doing anything. Needs bash (skipped without it); no GPU, no torch.
 */
class GpuScriptsTest {
  static final Path GPU = Path.of(System.getProperty("user.dir")).resolve("gpu");

  @TempDir Path dir;
  Path bundle;
  Path cache;
  Path python;

  static boolean hasBash() {
    try {
      return new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  record Run(int exit, String out) {}

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(hasBash(), "bash not available");
    bundle = Files.createDirectories(dir.resolve("gpu-bundle"));
    Files.createDirectories(bundle.resolve("lib"));
    Files.createFile(bundle.resolve("lib/api-0.35.1.jar"));
    Files.createFile(bundle.resolve("lib/pytorch-jni-2.7.1-0.35.1.jar"));
    Files.copy(GPU.resolve("saturn-gpu"), bundle.resolve("saturn-gpu"), StandardCopyOption.REPLACE_EXISTING);
    cache = dir.resolve("cache");
    // Answers both probes (the launcher's four lines, the build script's six) from STUB_* variables.
    python = dir.resolve("python3");
    Files.writeString(python, String.join("\n", "#!/usr/bin/env bash",
        "prog=\"$(cat)\"",
        "[ -n \"${STUB_FAIL:-}\" ] && { echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 1; }",
        "echo \"$STUB_LIB\"; echo \"$STUB_VERSION\"; echo \"${STUB_CUDA:-}\"",
        "if [[ \"$prog\" == *cmake_prefix_path* ]]; then echo 1; echo \"$STUB_LIB/../share/cmake\"; echo \"$STUB_LIB/../include\";",
        "else echo \"${STUB_CUDART:-}\"; fi", ""));
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of("bash"));
    c.addAll(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("PYTORCH_") || k.equals("ENGINE_CACHE_DIR") || k.equals("DJL_CACHE_DIR"));
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().put("SATURN_PYTHON", python.toString());
    pb.environment().put("STUB_LIB", dir.resolve("site/torch/lib").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script did not finish: " + c);
    return new Run(p.exitValue(), out);
  }

  Map<String, String> resolve(Map<String, String> env) throws IOException, InterruptedException {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("SATURN_GPU_PRINT_ENV", "1");
    Run r = run(e, bundle.resolve("saturn-gpu").toString());
    assertEquals(0, r.exit(), r.out());
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : r.out().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) vars.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return vars;
  }

  Path jniFor(String version, String flavor) {
    return cache.resolve("saturn/djl/pytorch/" + version + "-" + flavor + "-linux-x86_64/0.35.1-libdjl_torch.so");
  }

  @Test
  void launcherSelectsTheRebuiltJniForACudaTorch() throws Exception {
    Path jni = jniFor("2.11.0", "cu130");
    Files.createDirectories(jni.getParent());
    Files.createFile(jni);
    Map<String, String> v = resolve(Map.of("STUB_VERSION", "2.11.0+cu130", "STUB_CUDA", "13.0", "STUB_CUDART", "/site/nvidia/cu13/lib"));
    assertEquals("2.11.0", v.get("PYTORCH_VERSION"));
    assertEquals("cu130", v.get("PYTORCH_FLAVOR"));
    assertEquals(dir.resolve("site/torch/lib").toString(), v.get("PYTORCH_LIBRARY_PATH"));
    assertEquals(jni.toString(), v.get("JNI"));
    assertEquals("/site/nvidia/cu13/lib", v.get("JNA_LIBRARY_PATH"));
  }

  @Test
  void launcherRefusesATorchWithoutAMatchingJni() throws Exception {
    Run r = run(Map.of("STUB_VERSION", "2.11.0+cu130", "STUB_CUDA", "13.0", "SATURN_GPU_PRINT_ENV", "1"),
        bundle.resolve("saturn-gpu").toString());
    assertEquals(3, r.exit(), r.out());
    assertTrue(r.out().contains("build-djl-jni.sh") && r.out().contains(jniFor("2.11.0", "cu130").toString()), r.out());
  }

  @Test
  void launcherUsesDjlsPublishedJniForItsOwnLibtorchAndTheCallersChoiceFirst() throws Exception {
    Map<String, String> stock = resolve(Map.of("STUB_VERSION", "2.7.1+cu126", "STUB_CUDA", "12.6"));
    assertEquals("2.7.1", stock.get("PYTORCH_VERSION"));
    assertEquals("cu128", stock.get("PYTORCH_FLAVOR"));
    Map<String, String> cpu = resolve(Map.of("STUB_VERSION", "2.7.1+cpu"));
    assertEquals("cpu", cpu.get("PYTORCH_FLAVOR"));
    Map<String, String> caller = resolve(Map.of("STUB_VERSION", "2.11.0+cu130", "STUB_CUDA", "13.0", "PYTORCH_FLAVOR", "cu128"));
    assertEquals("cu128", caller.get("PYTORCH_FLAVOR"));
    assertEquals("2.11.0", caller.get("PYTORCH_VERSION"));
  }

  @Test
  void launcherSaysWhenPythonHasNoTorch() throws Exception {
    Run r = run(Map.of("STUB_FAIL", "1", "STUB_VERSION", "x"), bundle.resolve("saturn-gpu").toString());
    assertEquals(3, r.exit(), r.out());
    assertTrue(r.out().contains("cannot import torch") && r.out().contains("No module named 'torch'"), r.out());
  }

  @Test
  void buildScriptInstallsWhereTheLauncherLooks() throws Exception {
    for (String[] t : new String[][] {{"2.11.0+cu130", "13.0", "2.11.0", "cu130"}, {"2.13.0+cpu", "", "2.13.0", "cpu"}}) {
      Run r = run(Map.of("STUB_VERSION", t[0], "STUB_CUDA", t[1]), GPU.resolve("build-djl-jni.sh").toString(), "--print-target");
      assertEquals(0, r.exit(), r.out());
      assertEquals(jniFor(t[2], t[3]).toString(), r.out().strip());
      Files.createDirectories(jniFor(t[2], t[3]).getParent());
      Files.writeString(jniFor(t[2], t[3]), "");
      assertEquals(jniFor(t[2], t[3]).toString(), resolve(Map.of("STUB_VERSION", t[0], "STUB_CUDA", t[1])).get("JNI"));
    }
  }

  @Test
  void buildScriptRejectsBadArgumentsBeforeBuilding() throws Exception {
    String script = GPU.resolve("build-djl-jni.sh").toString();
    Map<String, String> env = Map.of("STUB_VERSION", "2.11.0+cu130", "STUB_CUDA", "13.0");
    assertEquals(2, run(env, script, "--cuda", "maybe").exit());
    assertEquals(2, run(env, script, "--method", "bazel").exit());
    assertEquals(2, run(env, script, "--jobs", "0").exit());
    assertEquals(2, run(env, script, "--src").exit());
    assertEquals(2, run(env, script, "--frobnicate").exit());
    assertEquals(2, run(env, script, "--djl-version", "latest").exit());
    assertEquals(2, run(env, script, "--header", "a", "--header-only", "b").exit());
    Run noSrc = run(env, script, "--src", dir.resolve("nope").toString(), "--header-only", dir.resolve("h").toString());
    assertEquals(3, noSrc.exit(), noSrc.out());
    assertTrue(noSrc.out().contains("--src " + dir.resolve("nope") + ": no such directory"), noSrc.out());
    Run noTorch = run(Map.of("STUB_FAIL", "1", "STUB_VERSION", "x"), script, "--src", dir.toString());
    assertEquals(3, noTorch.exit(), noTorch.out());
    // A torch whose library directory lacks libtorch.so is refused by name before any compiling.
    Run noLib = run(env, script, "--src", dir.toString(), "--header", dir.toString());
    assertEquals(3, noLib.exit(), noLib.out());
    assertTrue(noLib.out().contains("no libtorch.so in " + dir.resolve("site/torch/lib")), noLib.out());
  }

  @Test
  void deviceRunRejectsMissingInputsBeforeStarting() throws Exception {
    String script = GPU.resolve("device-run.sh").toString();
    Run r = run(Map.of("OUT", dir.resolve("out").toString()), script, "--bundle", dir.resolve("none.tar.xz").toString());
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.out().contains("missing file"), r.out());
    assertEquals(2, run(Map.of(), script, "--deadline", "soon", "--out", dir.toString()).exit());
    assertEquals(2, run(Map.of(), script, "--what").exit());
  }
}
