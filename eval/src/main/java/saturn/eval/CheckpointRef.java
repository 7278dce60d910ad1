package saturn.eval;

import java.nio.file.Path;

/**
 * One checkpoint to evaluate: a directory with {@code config.json} and {@code model.safetensors} (HF GPT-NeoX names).
 *
 * @param name how reports name it (the directory name)
 * @param step training step, -1 when the name carries none
 * @param dir the directory
 * @param sealed whether it is a saturn checkpoint with a {@code checkpoint.json} seal to verify
 */
public record CheckpointRef(String name, long step, Path dir, boolean sealed) {}
