#!/usr/bin/env bash
# Builds DJL's PyTorch JNI (libdjl_torch.so) from DJL's own sources against the libtorch inside python's torch package,
# and installs it where DJL looks for it:
#   $ENGINE_CACHE_DIR/pytorch/<torch version>-<flavor>-linux-x86_64/<DJL version>-libdjl_torch.so
# (flavor: cpu, or cu<major><minor> of torch.version.cuda, e.g. cu130). DJL's published JNI is compiled for one
# libtorch (2.7.1 for DJL 0.35.1) and calls inline libtorch code, so it breaks over any other; this one matches.
# The GPU bundle's launcher (saturn-gpu) selects it by setting PYTORCH_VERSION and PYTORCH_FLAVOR to the same names.
#
#   lmhead/gpu/build-djl-jni.sh [options]
#     --src DIR          DJL source tree at tag v<DJL version> (engines/pytorch/pytorch-native, api/src/main/native and,
#                        for the header, engines/pytorch/pytorch-engine/src/main/java). Default: git clone of that tag
#                        from https://github.com/deepjavalibrary/djl into the build dir (needs network).
#     --header DIR       a directory holding ai_djl_pytorch_jni_PyTorchLibrary.h made earlier (with --header-only);
#                        default: generate it here with `javac -h` (needs a JDK and DJL's api jar).
#     --header-only DIR  only generate that header into DIR and stop (on a machine with Java, for one without).
#     --jni-include DIR  jni.h and linux/jni_md.h (default: $JAVA_HOME/include; a machine without a JDK takes a copy).
#     --python PY        python with torch (default: $SATURN_PYTHON or python3).
#     --cuda auto|on|off compile DJL's CUDA-only code (USE_CUDA: inference on a side stream, emptyCache); training
#                        needs none of it. auto: on for a CUDA torch with the cmake method (default: auto).
#     --method auto|cmake|direct  DJL's CMake project (find_package(Torch) from torch.utils.cmake_prefix_path), or
#                        one g++ call per source against torch's headers; auto: cmake, then direct if cmake fails.
#     --jobs N           parallel compiles (default: nproc).
#     --cache DIR        DJL engine cache (default: $ENGINE_CACHE_DIR or ~/.cache/saturn/djl, what saturn uses).
#     --build DIR        scratch directory (default: target/djl-jni-build under the repository).
#     --djl-version V    default: djl.version of the repository's pom.xml.
#     --api-jar JAR      DJL's api jar for the header (default: ~/.m2/repository/ai/djl/api/V/api-V.jar).
#     --print-target     print where the JNI goes for this python's torch, and stop.
# Exit codes: 0 ok, 2 usage, 3 bad input (missing sources, headers, torch), 6 the build failed.
# Never commit what it builds or fetches: the sources are DJL's (Apache-2.0), the binary is rebuilt per machine.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() { echo "build-djl-jni: $*" >&2; echo "usage: lmhead/gpu/build-djl-jni.sh [--src DIR] [--header DIR | --header-only DIR] [--jni-include DIR] [--python PY] [--cuda auto|on|off] [--method auto|cmake|direct] [--jobs N] [--cache DIR] [--build DIR] [--djl-version V] [--api-jar JAR] [--print-target]" >&2; exit 2; }
bad() { echo "build-djl-jni: $*" >&2; exit 3; }
failed() { echo "build-djl-jni: $*" >&2; exit 6; }

SRC="" HEADER="" HEADER_ONLY="" JNI_INC="" PY="${SATURN_PYTHON:-python3}" CUDA=auto METHOD=auto
JOBS="$(nproc 2>/dev/null || echo 2)" CACHE="${ENGINE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/saturn/djl}"
BUILD="$ROOT/target/djl-jni-build" DJL="" API_JAR="" PRINT_TARGET=0
while [ $# -gt 0 ]; do
  opt="$1"
  case "$opt" in
    --print-target) PRINT_TARGET=1; shift; continue ;;
    -h|--help) sed -n '2,/^# Never/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --src|--header|--header-only|--jni-include|--python|--cuda|--method|--jobs|--cache|--build|--djl-version|--api-jar)
      [ $# -ge 2 ] && [ -n "$2" ] || usage "$opt needs a value" ;;
    *) usage "unknown option: $opt" ;;
  esac
  case "$opt" in
    --src) SRC="$2" ;; --header) HEADER="$2" ;; --header-only) HEADER_ONLY="$2" ;; --jni-include) JNI_INC="$2" ;;
    --python) PY="$2" ;; --cuda) CUDA="$2" ;; --method) METHOD="$2" ;; --jobs) JOBS="$2" ;; --cache) CACHE="$2" ;;
    --build) BUILD="$2" ;; --djl-version) DJL="$2" ;; --api-jar) API_JAR="$2" ;;
  esac
  shift 2
done
case "$CUDA" in auto|on|off) ;; *) usage "--cuda $CUDA: expected auto, on or off" ;; esac
case "$METHOD" in auto|cmake|direct) ;; *) usage "--method $METHOD: expected auto, cmake or direct" ;; esac
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || usage "--jobs $JOBS: expected a positive whole number"
[ -n "$HEADER" ] && [ -n "$HEADER_ONLY" ] && usage "--header and --header-only exclude each other"
if [ -z "$DJL" ]; then
  DJL="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$ROOT/pom.xml" 2>/dev/null | head -n 1)"
  [ -n "$DJL" ] || usage "no djl.version in $ROOT/pom.xml; pass --djl-version"
fi
[[ "$DJL" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || usage "--djl-version $DJL: expected a release like 0.35.1"
BUILD="$(mkdir -p "$BUILD" && cd "$BUILD" && pwd)" || bad "cannot create the build directory $BUILD"

# The source tree: given, or the release tag from GitHub.
fetch_src() {
  if [ -z "$SRC" ]; then
    SRC="$BUILD/djl-$DJL"
    if [ ! -d "$SRC/engines/pytorch/pytorch-native" ]; then
      command -v git >/dev/null || bad "no --src and no git to clone DJL v$DJL"
      echo "build-djl-jni: cloning DJL v$DJL into $SRC" >&2
      rm -rf "$SRC"
      git clone -q --depth 1 -b "v$DJL" https://github.com/deepjavalibrary/djl "$SRC" \
        || bad "git clone of DJL v$DJL failed (no network?); pass --src with a copy of its sources"
    fi
  fi
  local given="$SRC"
  SRC="$(cd "$SRC" 2>/dev/null && pwd)" || bad "--src $given: no such directory"
}

# The JNI header comes from DJL's Java declarations (javac -h), so only a machine with a JDK can make it.
make_header() { # output dir
  local out="$1" java_src="$SRC/engines/pytorch/pytorch-engine/src/main/java"
  [ -f "$java_src/ai/djl/pytorch/jni/PyTorchLibrary.java" ] || bad "--src $SRC has no $java_src/ai/djl/pytorch/jni/PyTorchLibrary.java"
  command -v javac >/dev/null || bad "no javac to generate the JNI header; generate it elsewhere with --header-only and pass --header"
  [ -n "$API_JAR" ] || API_JAR="$HOME/.m2/repository/ai/djl/api/$DJL/api-$DJL.jar"
  [ -f "$API_JAR" ] || bad "DJL's api jar $API_JAR is missing; pass --api-jar (any build of saturn puts it in ~/.m2)"
  mkdir -p "$out" "$BUILD/header-classes"
  javac -proc:none -implicit:none -cp "$API_JAR" -sourcepath "$java_src" -h "$out" -d "$BUILD/header-classes" \
    "$java_src/ai/djl/pytorch/jni/PyTorchLibrary.java" || failed "javac -h on PyTorchLibrary failed"
  [ -f "$out/ai_djl_pytorch_jni_PyTorchLibrary.h" ] || failed "javac wrote no ai_djl_pytorch_jni_PyTorchLibrary.h into $out"
}

if [ -n "$HEADER_ONLY" ]; then
  fetch_src
  make_header "$HEADER_ONLY"
  echo "build-djl-jni: header $(cd "$HEADER_ONLY" && pwd)/ai_djl_pytorch_jni_PyTorchLibrary.h (DJL $DJL)"
  exit 0
fi

# What the torch package is: lib dir, version, CUDA version, C++ ABI, CMake prefix (one line each).
PROBE="$("$PY" - <<'PY' 2>&1
import os, torch
print(os.path.join(os.path.dirname(torch.__file__), "lib"))
print(torch.__version__)
print(torch.version.cuda or "")
print(int(torch.compiled_with_cxx11_abi()))
print(torch.utils.cmake_prefix_path)
print(os.path.join(os.path.dirname(torch.__file__), "include"))
PY
)" || bad "$PY cannot import torch: $(tail -n 1 <<<"$PROBE")"
TORCH_LIB="$(sed -n 1p <<<"$PROBE")" TORCH_VERSION="$(sed -n 2p <<<"$PROBE")" TORCH_CUDA="$(sed -n 3p <<<"$PROBE")"
TORCH_ABI="$(sed -n 4p <<<"$PROBE")" TORCH_CMAKE="$(sed -n 5p <<<"$PROBE")" TORCH_INC="$(sed -n 6p <<<"$PROBE")"
[[ "$TORCH_VERSION" =~ ^([0-9]+\.[0-9]+\.[0-9]+) ]] || bad "unexpected torch version '$TORCH_VERSION' from $PY"
TV="${BASH_REMATCH[1]}"
if [ -n "$TORCH_CUDA" ]; then
  [[ "$TORCH_CUDA" =~ ^([0-9]+)\.([0-9]+) ]] || bad "unexpected torch.version.cuda '$TORCH_CUDA'"
  FLAVOR="cu${BASH_REMATCH[1]}${BASH_REMATCH[2]}"
else
  FLAVOR=cpu
fi
TARGET="$CACHE/pytorch/$TV-$FLAVOR-linux-x86_64/$DJL-libdjl_torch.so"
if [ "$PRINT_TARGET" = 1 ]; then
  echo "$TARGET"
  exit 0
fi
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || bad "this builds the linux-x86_64 JNI only, not on $(uname -s)-$(uname -m)"
[ -f "$TORCH_LIB/libtorch.so" ] || bad "no libtorch.so in $TORCH_LIB (is $PY's torch a wheel with its libraries?)"
[ -f "$TORCH_INC/torch/csrc/api/include/torch/torch.h" ] || bad "no C++ headers under $TORCH_INC (torch.h missing)"

fetch_src
NATIVE="$SRC/engines/pytorch/pytorch-native"
[ -f "$NATIVE/CMakeLists.txt" ] || bad "--src $SRC has no engines/pytorch/pytorch-native/CMakeLists.txt"
[ -f "$SRC/api/src/main/native/djl/utils.h" ] || bad "--src $SRC has no api/src/main/native/djl/utils.h"
if [ -z "$HEADER" ]; then
  HEADER="$BUILD/include"
  make_header "$HEADER"
fi
HEADER_GIVEN="$HEADER"
HEADER="$(cd "$HEADER" 2>/dev/null && pwd)" || bad "--header $HEADER_GIVEN: no such directory"
[ -f "$HEADER/ai_djl_pytorch_jni_PyTorchLibrary.h" ] || bad "--header $HEADER has no ai_djl_pytorch_jni_PyTorchLibrary.h"
if [ -z "$JNI_INC" ]; then
  [ -n "${JAVA_HOME:-}" ] || { command -v javac >/dev/null && JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; }
  JNI_INC="${JAVA_HOME:-/nonexistent}/include"
fi
[ -f "$JNI_INC/jni.h" ] && [ -f "$JNI_INC/linux/jni_md.h" ] || bad "--jni-include $JNI_INC lacks jni.h or linux/jni_md.h (copy \$JAVA_HOME/include from a JDK)"
for tool in g++; do command -v "$tool" >/dev/null || bad "no $tool on PATH"; done

# The C++ standard torch's headers demand (DJL 0.35.1 says 17; torch 2.14 and later refuse anything below 20).
CXXSTD=17
grep -q '__cplusplus < 202002L' "$TORCH_INC/ATen/ATen.h" 2>/dev/null && CXXSTD=20
echo "build-djl-jni: DJL $DJL JNI for torch $TORCH_VERSION ($FLAVOR, cxx11 abi $TORCH_ABI, C++$CXXSTD) from $SRC -> $TARGET" >&2
# Copies at fixed paths in the build dir: the compile flags stay the same from run to run, so reruns are incremental.
rm -rf "$BUILD/jni-header" "$BUILD/jni-include"
mkdir -p "$BUILD/jni-header" && cp "$HEADER/ai_djl_pytorch_jni_PyTorchLibrary.h" "$BUILD/jni-header/" && cp -r "$JNI_INC" "$BUILD/jni-include" \
  || bad "cannot copy the JNI header and includes into $BUILD"
HEADER="$BUILD/jni-header" JNI_INC="$BUILD/jni-include"
OUTLIB=""

build_cmake() { # use_cuda 0|1
  command -v cmake >/dev/null || { echo "build-djl-jni: no cmake" >&2; return 1; }
  # The build dir is kept between runs (a rerun recompiles only what changed): Torch_DIR is passed each time so a
  # cached one from another torch cannot stay, the header and JNI includes are read from copies at fixed paths,
  # and a build dir made from other sources or by another generator is started afresh.
  local dir="$BUILD/cmake$([ "$1" = 1 ] && echo -cuda)" gen=() cuda_args=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  if [ -f "$dir/CMakeCache.txt" ] && { ! grep -qx "CMAKE_GENERATOR:INTERNAL=${gen[1]:-Unix Makefiles}" "$dir/CMakeCache.txt" \
      || ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$([ "$CXXSTD" = 17 ] && echo "$NATIVE" || echo "$BUILD/pytorch-native-c++$CXXSTD")" "$dir/CMakeCache.txt"; }; then
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  if [ "$1" = 1 ]; then
    cuda_args=(-DUSE_CUDA=1)
    # Torch's CUDA config runs both FindCUDA (CUDA_TOOLKIT_ROOT_DIR) and FindCUDAToolkit: name the toolkit for both
    # ($CUDA_HOME, else /usr/local/cuda, else where nvcc is; a wrapper script on PATH would mislead the guess).
    local root="${CUDA_HOME:-${CUDA_PATH:-}}"
    [ -z "$root" ] && [ -x /usr/local/cuda/bin/nvcc ] && root=/usr/local/cuda
    [ -z "$root" ] && command -v nvcc >/dev/null && root="$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")"
    [ -n "$root" ] && cuda_args+=("-DCUDA_TOOLKIT_ROOT_DIR=$root" "-DCUDAToolkit_ROOT=$root" "-DCMAKE_CUDA_COMPILER=$root/bin/nvcc")
    # Torch's CMake config asks which GPU architectures to target; the JNI compiles no kernels.
    export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
  fi
  local native="$NATIVE" flags="-I$HEADER"
  if [ "$1" = 1 ]; then
    # pip's CUDA packages (site-packages/nvidia/*) hold the library headers (cublas_v2.h, ...) that ATen's CUDA
    # headers include and a toolkit without those libraries lacks, and nvrtc, which torch's config links.
    local site inc nvrtc
    site="$(dirname "$(dirname "$TORCH_LIB")")"
    for inc in "$site"/nvidia/*/include; do [ -d "$inc" ] && flags+=" -isystem $inc"; done
    nvrtc="$(ls "$site"/nvidia/*/lib/libnvrtc.so* 2>/dev/null | grep -v builtins | head -n 1)"
    [ -n "$nvrtc" ] && cuda_args+=("-DCUDA_nvrtc_LIBRARY=$nvrtc" "-DCUDA_NVRTC_LIB=$nvrtc")
  fi
  if [ "$CXXSTD" != 17 ]; then
    # DJL's CMakeLists pins CXX_STANDARD 17 on the target, which no command-line flag overrides: build a copy.
    native="$BUILD/pytorch-native-c++$CXXSTD"
    rm -rf "$native"; cp -r "$NATIVE" "$native"
    sed -i "s/CXX_STANDARD 17/CXX_STANDARD $CXXSTD/" "$native/CMakeLists.txt"
  fi
  # DJL's CMakeLists reads the header from build/include and needs JNI's include dirs, not a JVM to link to.
  cmake -S "$native" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=$TORCH_CMAKE" "-DTorch_DIR=$TORCH_CMAKE/Torch" \
    "-DCMAKE_CXX_FLAGS=$flags" "-DUTILS_INCLUDE_DIR=$SRC/api/src/main/native" \
    "-DJAVA_INCLUDE_PATH=$JNI_INC" "-DJAVA_INCLUDE_PATH2=$JNI_INC/linux" \
    -DJAVA_JVM_LIBRARY=NotNeeded -DCMAKE_POLICY_VERSION_MINIMUM=3.5 "${cuda_args[@]}" || return 1
  cmake --build "$dir" --config Release -j "$JOBS" || return 1
  [ -f "$dir/libdjl_torch.so" ] || return 1
  OUTLIB="$dir/libdjl_torch.so"
}

build_direct() { # no USE_CUDA: the same sources, one g++ per file, linked against torch's libraries
  local dir="$BUILD/direct"
  rm -rf "$dir"; mkdir -p "$dir"
  local flags=(-O2 -fPIC "-std=c++$CXXSTD" -w "-D_GLIBCXX_USE_CXX11_ABI=$TORCH_ABI" "-I$HEADER" "-I$JNI_INC" "-I$JNI_INC/linux"
    "-I$SRC/api/src/main/native" "-I$TORCH_INC" "-I$TORCH_INC/torch/csrc/api/include")
  export DIRECT_FLAGS="${flags[*]}" DIRECT_OUT="$dir"
  find "$NATIVE/src/main/native" -name '*.cc' -print0 | xargs -0 -P "$JOBS" -I{} bash -c \
    'o="$DIRECT_OUT/$(basename "{}" .cc).o"; g++ $DIRECT_FLAGS -c "{}" -o "$o" || { echo "build-djl-jni: g++ failed on {}" >&2; exit 255; }' \
    || return 1
  g++ -shared -o "$dir/libdjl_torch.so" "$dir"/*.o "-L$TORCH_LIB" -Wl,-rpath,'$ORIGIN' -ltorch -ltorch_cpu -lc10 || return 1
  OUTLIB="$dir/libdjl_torch.so"
}

USE_CUDA=0
if [ "$CUDA" = on ] || { [ "$CUDA" = auto ] && [ "$FLAVOR" != cpu ]; }; then USE_CUDA=1; fi
METHOD_USED=""
T0=$SECONDS
if [ "$METHOD" != direct ]; then
  if build_cmake "$USE_CUDA"; then METHOD_USED="cmake (USE_CUDA=$USE_CUDA)"
  elif [ "$METHOD" = cmake ]; then failed "the CMake build failed (see above)"
  else echo "build-djl-jni: the CMake build failed; building directly with g++ (no USE_CUDA)" >&2
  fi
fi
if [ -z "$METHOD_USED" ]; then
  [ "$CUDA" = on ] && failed "--cuda on needs the cmake method, which failed or was not chosen"
  build_direct && METHOD_USED="direct g++ (USE_CUDA=0)" || failed "the direct g++ build failed (see above)"
fi

mkdir -p "$(dirname "$TARGET")"
cp "$OUTLIB" "$TARGET.tmp" && mv -f "$TARGET.tmp" "$TARGET" || failed "cannot install $TARGET"
# Every libtorch symbol the JNI calls must resolve in this torch: ldd -r lists the ones that do not.
UNDEF="$(LD_LIBRARY_PATH="$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$TARGET" 2>&1 | grep -c 'undefined symbol' || true)"
echo "build-djl-jni: built with $METHOD_USED in $((SECONDS - T0)) s; $UNDEF undefined symbols against $TORCH_LIB" >&2
echo "$TARGET"
[ "$UNDEF" = 0 ] || failed "$UNDEF symbols of $TARGET do not resolve against $TORCH_LIB (ldd -r lists them)"
