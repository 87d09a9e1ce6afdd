#!/usr/bin/env bash
# Makes a zig cross toolchain for one target and prints its directory.
#
#   bash tools/zig-toolchain.sh x86_64|aarch64 [GLIBC]    (GLIBC: 2.28 default)
#
# zig (the `ziglang` package from PyPI, pinned below, installed into a
# virtualenv in the cache) compiles C and C++ for a chosen glibc version with
# its own headers and link stubs, and links its libc++/libc++abi/libunwind
# statically: what it builds needs only libc, libm and the loader of that
# glibc version, whatever glibc this machine has.  No Docker, no sysroot.
#
# The directory, ${ROCKSQ_CACHE:-$HOME/.cache/rocksq}/zig/<arch>-linux-gnu.<glibc>/,
# holds wrapper scripts zig-cc, zig-c++, zig-ar, zig-ranlib (each a single
# executable, as CMake and Makefiles want) and toolchain.cmake, a CMake
# toolchain file for them.  For aarch64 it sets CMAKE_SYSTEM_NAME, so CMake
# knows it cross-compiles; x86_64 is this machine's architecture, and its
# extension can be imported here (stubgen does).
set -euo pipefail
arch=${1:?usage: zig-toolchain.sh x86_64|aarch64 [glibc]}
glibc=${2:-2.28}
zig_version=0.17.1
case "$arch" in x86_64|aarch64) ;; *) echo "zig-toolchain: unknown arch $arch" >&2; exit 2 ;; esac

cache=${ROCKSQ_CACHE:-$HOME/.cache/rocksq}
venv=$cache/zig/venv-$zig_version
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -m ziglang version >/dev/null 2>&1; then
  echo "zig-toolchain: installing ziglang==$zig_version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q "ziglang==$zig_version" >&2
fi
zig=$("$venv/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
[ -x "$zig" ] || { echo "zig-toolchain: no zig binary at $zig" >&2; exit 1; }

triple=$arch-linux-gnu.$glibc
dir=$cache/zig/$triple
mkdir -p "$dir"
# zig's own cache (compiled libc++, glibc stubs) is shared by all targets.
zcache=$cache/zig/cache
# -mcpu=baseline: the architecture's baseline (x86-64, armv8-a), never this
# machine's CPU.  -Wno-unused-command-line-argument: CMake and RocksDB's
# checks pass flags (-pthread at link time) that clang notes as unused.
# Each file is rewritten only when its text changes, so that its mtime (which
# CMake and ccache may look at) stays put from one run to the next.
put() {  # file: writes stdin there if different
  local tmp
  tmp=$(mktemp "$dir/.tmp.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else chmod 755 "$tmp" && mv "$tmp" "$1"; fi
}
for tool in cc c++; do
  put "$dir/zig-$tool" <<EOF
#!/bin/sh
export ZIG_GLOBAL_CACHE_DIR="$zcache" ZIG_LOCAL_CACHE_DIR="$zcache"
exec "$zig" $tool -target $triple -mcpu=baseline -Wno-unused-command-line-argument "\$@"
EOF
done
for tool in ar ranlib; do
  put "$dir/zig-$tool" <<EOF
#!/bin/sh
export ZIG_GLOBAL_CACHE_DIR="$zcache" ZIG_LOCAL_CACHE_DIR="$zcache"
exec "$zig" $tool "\$@"
EOF
done

{
  echo "# zig $zig_version for $triple (made by tools/zig-toolchain.sh)"
  if [ "$arch" != "$(uname -m)" ]; then
    echo "set(CMAKE_SYSTEM_NAME Linux)"
    echo "set(CMAKE_SYSTEM_PROCESSOR $arch)"
  fi
  echo "set(CMAKE_C_COMPILER \"$dir/zig-cc\")"
  echo "set(CMAKE_CXX_COMPILER \"$dir/zig-c++\")"
  echo "set(CMAKE_AR \"$dir/zig-ar\" CACHE FILEPATH \"\")"
  echo "set(CMAKE_RANLIB \"$dir/zig-ranlib\" CACHE FILEPATH \"\")"
  # Libraries and packages come from CMAKE_PREFIX_PATH (our static RocksDB),
  # never from this machine's /usr (its are for its own glibc and arch).
  if [ "$arch" != "$(uname -m)" ]; then
    echo "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)"
  fi
} | put "$dir/toolchain.cmake"
echo "ZIG_VERSION=$zig_version" | put "$dir/version"
echo "$dir"
