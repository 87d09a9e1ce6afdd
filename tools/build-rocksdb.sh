#!/usr/bin/env bash
# Builds RocksDB and LZ4 static and position-independent with zig for one
# target, installs them into a prefix in the cache and prints that prefix.
#
#   bash tools/build-rocksdb.sh x86_64|aarch64 [GLIBC]    (GLIBC: 2.17 default)
#
# The sources are Debian's source packages (the RocksDB that librocksdb-dev
# is, so the wheels and a source build against the system's RocksDB compile
# the same API): fetched with `apt-get source` through a private apt
# configuration that adds deb-src lines for the archives of
# /etc/apt/sources.list.d/*.sources and /etc/apt/sources.list, so this
# machine's apt setup is left alone.
#
# Only what rocksq uses is built: the RocksDB library with LZ4 (the
# compression rocksq picks first) and no other compression, no gflags, no
# liburing, no tests, tools or benchmarks; PORTABLE=1 (no -march=native,
# like Debian's package), -fPIC, -ffunction-sections/-fdata-sections so that
# the extension's link drops what it does not call.
#
# The prefix, ${ROCKSQ_CACHE:-$HOME/.cache/rocksq}/rocksdb/<key>, is keyed by
# the RocksDB and LZ4 versions, the target, the zig version and a hash of
# the flags below, so a second build is instant and an edit of the
# flags builds anew.  The build directory lives beside it and is resumed if a
# build was interrupted.  The glibc floor of the objects is 2.17 by default:
# objects compiled against an older glibc link into an extension for a newer
# one, so the same build serves manylinux2014 and manylinux_2_28 wheels.
#
#   bash tools/build-rocksdb.sh --cached ARCH [GLIBC]  prints the prefix if it is
#   built, else exits 3 without building.
set -euo pipefail
cached_only=0
if [ "${1:-}" = --cached ]; then cached_only=1; shift; fi
arch=${1:?usage: build-rocksdb.sh [--cached] x86_64|aarch64 [glibc]}
glibc=${2:-2.17}
here=$(cd "$(dirname "$0")" && pwd)
cache=${ROCKSQ_CACHE:-$HOME/.cache/rocksq}
jobs=${ROCKSQ_JOBS:-$(nproc)}
log() { echo "build-rocksdb[$arch]: $*" >&2; }

toolchain=$(bash "$here/zig-toolchain.sh" "$arch" "$glibc")
zig_version=$(sed -n 's/^ZIG_VERSION=//p' "$toolchain/version")

# --- Sources: Debian's, through a private apt configuration -------------
src=$cache/src
apt_dir=$src/apt
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
          -o "Debug::NoDropPrivs=true" -o "APT::Sandbox::User=root")
fetch_sources() {
  mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  : >"$apt_dir/sources.list"
  # deb822 files (Debian 12's debian.sources): the same stanzas as deb-src.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$apt_dir/parts/$(basename "$f")"
  done
  # One-line files: deb lines become deb-src lines.
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    sed -nE 's/^deb (.*)/deb-src \1/p' "$f" >>"$apt_dir/sources.list"
  done
  log "apt-get update (deb-src lines in $apt_dir)"
  apt-get "${apt_opts[@]}" update -qq >&2 ||
    { log "apt-get update of the source lists failed"; exit 1; }
}
source_of() {  # package -> prints its unpacked source directory
  local pkg=$1 dir
  dir=$(ls -d "$src/$pkg"/"$pkg"-*/ 2>/dev/null | head -1 || true)
  if [ -z "$dir" ]; then
    [ -d "$apt_dir/lists" ] && ls "$apt_dir"/lists/*Sources* >/dev/null 2>&1 || fetch_sources
    if ! command -v dpkg-source >/dev/null && [ "$(id -u)" = 0 ]; then
      log "installing dpkg-dev (dpkg-source unpacks the source packages)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null
    fi
    command -v dpkg-source >/dev/null || { log "dpkg-source missing: apt-get install dpkg-dev"; exit 1; }
    rm -rf "$src/$pkg.tmp" && mkdir -p "$src/$pkg.tmp"
    log "apt-get source $pkg"
    (cd "$src/$pkg.tmp" && apt-get "${apt_opts[@]}" source -qq "$pkg" >&2)
    rm -rf "$src/$pkg" && mv "$src/$pkg.tmp" "$src/$pkg"
    dir=$(ls -d "$src/$pkg"/"$pkg"-*/ | head -1)
  fi
  echo "${dir%/}"
}
rocksdb_src=$(source_of rocksdb)
lz4_src=$(source_of lz4)
rocksdb_version=${rocksdb_src##*/rocksdb-}
lz4_version=${lz4_src##*/lz4-}

# Everything that decides what is built, hashed into the cache key (the
# paths, which differ per key, are added at configure time).
lz4_cflags=(-O2 -fPIC -ffunction-sections -fdata-sections -DNDEBUG)
rocksdb_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  "-DCMAKE_C_FLAGS=-ffunction-sections -fdata-sections"
  "-DCMAKE_CXX_FLAGS=-ffunction-sections -fdata-sections"
  -DPORTABLE=1 -DFAIL_ON_WARNINGS=OFF -DUSE_RTTI=1
  -DROCKSDB_BUILD_SHARED=OFF
  -DWITH_GFLAGS=OFF -DWITH_TESTS=OFF -DWITH_ALL_TESTS=OFF -DWITH_TOOLS=OFF
  -DWITH_CORE_TOOLS=OFF -DWITH_BENCHMARK_TOOLS=OFF -DWITH_TRACE_TOOLS=OFF
  -DWITH_LZ4=ON -DWITH_SNAPPY=OFF -DWITH_ZLIB=OFF -DWITH_ZSTD=OFF -DWITH_BZ2=OFF
  -DWITH_LIBURING=OFF -DWITH_JEMALLOC=OFF -DWITH_NUMA=OFF -DWITH_TBB=OFF
  -DWITH_JNI=OFF -DWITH_BENCHMARK=OFF
)
flags_hash=$(printf '%s\n' "${lz4_cflags[@]}" "${rocksdb_flags[@]}" | sha256sum | cut -c1-10)
key=rocksdb-$rocksdb_version-lz4-$lz4_version-$arch-linux-gnu.$glibc-zig$zig_version-$flags_hash
prefix=$cache/rocksdb/$key
if [ -f "$prefix/.complete" ]; then
  log "cached: $prefix"
  echo "$prefix"
  exit 0
fi
[ "$cached_only" = 0 ] || exit 3
build=$cache/rocksdb/build-$key
mkdir -p "$build" "$prefix/lib" "$prefix/include"
start=$(date +%s)

# --- LZ4: four C files, compiled directly -------------------------------
log "LZ4 $lz4_version"
objs=()
for f in lz4 lz4hc lz4frame xxhash; do
  "$toolchain/zig-cc" "${lz4_cflags[@]}" -c "$lz4_src/lib/$f.c" -o "$build/lz4-$f.o"
  objs+=("$build/lz4-$f.o")
done
rm -f "$prefix/lib/liblz4.a"
"$toolchain/zig-ar" rcs "$prefix/lib/liblz4.a" "${objs[@]}"
cp "$lz4_src"/lib/lz4.h "$lz4_src"/lib/lz4hc.h "$lz4_src"/lib/lz4frame.h "$prefix/include/"

# --- RocksDB ------------------------------------------------------------
log "RocksDB $rocksdb_version with $jobs jobs into $prefix (log: $build/build.log)"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$rocksdb_src" -B "$build/rocksdb" "${generator[@]}" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain/toolchain.cmake" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -Dlz4_INCLUDE_DIRS="$prefix/include" -Dlz4_LIBRARIES="$prefix/lib/liblz4.a" \
  "${rocksdb_flags[@]}" \
  >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
nice cmake --build "$build/rocksdb" --target rocksdb -j "$jobs" >"$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log" >&2; log "build failed (log: $build/build.log)"; exit 1; }
cmake --install "$build/rocksdb" >"$build/install.log" 2>&1 ||
  { cat "$build/install.log" >&2; exit 1; }
# Debug info is not needed (the wheels are stripped); the library is smaller.
"$toolchain/zig-ar" t "$prefix/lib/librocksdb.a" >/dev/null
touch "$prefix/.complete"
rm -rf "$build"
log "built in $(( $(date +%s) - start )) s: $prefix"
echo "$prefix"
