#!/usr/bin/env bash
# Builds KenLM's count_ngrams (https://github.com/kpu/kenlm, LGPL) outside the repository, for `saturn bench ngram
# --kenlm PATH`. Nothing of KenLM is ever committed to saturn: this script only clones (or takes) its public sources
# and compiles them under a build directory of your choice.
#
#   ngram/bench/build-kenlm.sh [--src DIR] [--build DIR] [--commit REV]
#     --src DIR    an existing KenLM source tree (no network needed); default: clone github.com/kpu/kenlm
#     --build DIR  where to clone/build (default: /tmp/kenlm-build); the binary is DIR/bin/count_ngrams
#     --commit REV check out this revision after cloning (default: the default branch's head)
#
# Build dependencies (Debian/Ubuntu):
#   apt-get install -y build-essential cmake libboost-program-options-dev libboost-system-dev \
#       libboost-thread-dev libboost-test-dev zlib1g-dev libbz2-dev liblzma-dev
# Prints the path of count_ngrams on its last line.
set -euo pipefail
SRC=""
BUILD=/tmp/kenlm-build
COMMIT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --commit) COMMIT="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build-kenlm.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in cmake make c++; do
  command -v "$tool" >/dev/null || { echo "build-kenlm.sh: $tool not found; install the build dependencies (see --help)" >&2; exit 3; }
done
mkdir -p "$BUILD"
if [ -z "$SRC" ]; then
  SRC="$BUILD/src"
  if [ ! -d "$SRC/.git" ]; then
    git clone --quiet https://github.com/kpu/kenlm.git "$SRC"
  fi
  [ -n "$COMMIT" ] && git -C "$SRC" checkout --quiet "$COMMIT"
fi
[ -f "$SRC/lm/builder/count_ngrams_main.cc" ] || { echo "build-kenlm.sh: $SRC is not a KenLM source tree" >&2; exit 3; }
# KENLM_MAX_ORDER bounds the order count_ngrams accepts (saturn counts up to 8).
cmake -S "$SRC" -B "$BUILD/obj" -DCMAKE_BUILD_TYPE=Release -DKENLM_MAX_ORDER=8 -DCOMPILE_TESTS=OFF >/dev/null
cmake --build "$BUILD/obj" --target count_ngrams -j "$(nproc)" >/dev/null
mkdir -p "$BUILD/bin"
cp "$BUILD/obj/bin/count_ngrams" "$BUILD/bin/count_ngrams"
if [ -d "$SRC/.git" ]; then echo "KenLM $(git -C "$SRC" rev-parse HEAD)" >&2; fi
echo "$BUILD/bin/count_ngrams"
