package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Json;
import saturn.lmhead.engine.TorchRuntime;

/**
 * saturn's checkpoint read by an independent PyTorch implementation of GPT-NeoX (json+numpy safetensors reader):
 * same logits. Skipped when python3 has no torch.
 */
class ReferenceParityTest {

  static boolean pythonHas(String module) {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import " + module).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static Path referenceScript(Path dir) throws Exception {
    Path script = dir.resolve("gpt_neox_reference.py");
    try (InputStream in = GptNeoXModel.class.getResourceAsStream("gpt_neox_reference.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }

  @Test
  void pytorchReadsTheCheckpointAndComputesTheSameLogits(@TempDir Path dir) throws Exception {
    assumeTrue(pythonHas("torch") && pythonHas("numpy"), "python3 with torch and numpy not available");
    TorchRuntime.engine(2);
    for (String head : List.of("softmax", "lowrank:8")) {
      Path ck = dir.resolve(head.replace(':', '_'));
      int[] tokens = {11, 7, 190, 3, 3, 42, 5, 0, 199};
      float[] ours;
      try (NDManager m = NDManager.newBaseManager("PyTorch");
          GptNeoXModel model = GptNeoXModel.create(m, GptNeoXConfig.preset("tiny", 200, 64, HeadSpec.parse(head, true)), 5)) {
        model.save(ck, Map.of());
        ours = model.forward(m.create(tokens, new Shape(1, tokens.length)), false).logits().toFloatArray();
      }
      List<String> cmd = new ArrayList<>(List.of("python3", referenceScript(dir).toString(), "logits", ck.toString()));
      for (int t : tokens) cmd.add(Integer.toString(t));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), "reference script failed");
      double[] theirs = Json.MAPPER.readValue(out, double[].class);
      assertEquals(ours.length, theirs.length);
      for (int i = 0; i < ours.length; i++) assertEquals(theirs[i], ours[i], 2e-4, head + ": logit " + i);
    }
  }
}
