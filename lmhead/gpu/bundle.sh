#!/usr/bin/env bash
# Builds a self-contained bundle that runs `saturn train --device gpu` (and `ingest`, `bench train`) on a Linux x86-64
# machine that has an NVIDIA driver and a python3 with torch, but no Java and no network: a jlinked JRE, the jars
# those commands need (other platforms' natives stripped), and a launcher (lmhead/gpu/saturn-gpu) that points DJL's
# PyTorch engine at the machine's own libtorch, the one inside python's torch package, through a DJL JNI built for
# that libtorch by lmhead/gpu/build-djl-jni.sh.
#
#   lmhead/gpu/bundle.sh [OUT]        default OUT: target/gpu-bundle (ignored by git); also writes OUT.tar.xz
#   tar xJf gpu-bundle.tar.xz && gpu-bundle/saturn-gpu train --device gpu ...     on the GPU machine
#
# Nothing it builds is committed: it is rebuilt from ~/.m2 and the JDK that runs it (17 or newer, with jlink).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/target/gpu-bundle}"
JDK="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
LIMIT_MB="${SATURN_BUNDLE_LIMIT_MB:-60}" # the GPU machine takes 64 MiB with the working tree

"$ROOT/saturn" --version >/dev/null # builds the CLI and runs/target/classpath.txt when sources changed
rm -rf "$OUT" "$OUT.tar.xz"
mkdir -p "$OUT/lib"

# Only what ingest/train/bench train load: no CPU libtorch (the machine has its own), no ND4J/OpenBLAS (spectra),
# no Hadoop/Parquet (parquet input), no charting (reports).
SKIP='/(pytorch-native-cpu|nd4j-|openblas-|javacpp-|hadoop-|parquet-|snappy-java|pdfbox|fontbox|graphics2d|VectorGraphics2D|xchart|animated-gif|chart\.js|smile-|jts-core|oshi-core|jna-platform|protobuf-1\.0\.0|guava-1\.0\.0-M2|jackson-1\.0\.0-M2|commons-math3|neoitertools|byteunits|commons-net|commons-collections4|commons-pool|threetenbp)[^/]*$'
cp "$ROOT/runs/target/saturn-runs.jar" "$OUT/lib/"
tr ':' '\n' <"$ROOT/runs/target/classpath.txt" | grep -v -E "$SKIP" | while read -r jar; do cp "$jar" "$OUT/lib/"; done

# Keep linux-x86_64 natives only (and of DJL's PyTorch JNI, the cu128 and cpu flavours).
slim() { # jar, zip patterns to delete
  local jar="$1"; shift
  zip -q -d "$jar" "$@" >/dev/null || true
}
slim "$OUT"/lib/pytorch-jni-*.jar 'jnilib/linux-aarch64/*' 'jnilib/osx-*' 'jnilib/win-*'
slim "$OUT"/lib/tokenizers-*.jar 'native/lib/linux-aarch64/*' 'native/lib/osx-*' 'native/lib/win-*'
slim "$OUT"/lib/sqlite-jdbc-*.jar 'org/sqlite/native/[!L]*' 'org/sqlite/native/Linux/[!x]*' 'org/sqlite/native/Linux-*' 'org/sqlite/native/Linux/x86_64_*'
slim "$OUT"/lib/zstd-jni-*.jar 'darwin/*' 'win/*' 'freebsd/*' 'linux/[!a]*' 'linux/aarch64/*' 'linux/arm*' 'aix/*'
slim "$OUT"/lib/jna-[0-9]*.jar 'com/sun/jna/[!l]*/*' 'com/sun/jna/linux-[!x]*/*'

# The smallest runtime that runs these jars (jdeps would name java.desktop for classes never loaded here).
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/jre"

# The launcher: picks the DJL JNI built for the machine's torch (lmhead/gpu/build-djl-jni.sh) and records that torch.
cp "$ROOT/lmhead/gpu/saturn-gpu" "$OUT/saturn-gpu"
chmod +x "$OUT/saturn-gpu"

# Smoke test with the bundled runtime: the CLI starts and its commands parse without the skipped jars.
"$OUT/jre/bin/java" -cp "$OUT/lib/*" saturn.runs.cli.Main train --help >/dev/null
"$OUT/jre/bin/java" -cp "$OUT/lib/*" saturn.runs.cli.Main bench train --help >/dev/null

(cd "$(dirname "$OUT")" && tar cJf "$OUT.tar.xz" "$(basename "$OUT")")
MB=$(( $(stat -c %s "$OUT.tar.xz") / 1048576 ))
echo "bundle: $OUT ($(du -sm "$OUT" | cut -f1) MiB), $OUT.tar.xz ($MB MiB)"
if [ "$MB" -gt "$LIMIT_MB" ]; then
  echo "bundle: $OUT.tar.xz is $MB MiB, over SATURN_BUNDLE_LIMIT_MB=$LIMIT_MB" >&2
  exit 1
fi
