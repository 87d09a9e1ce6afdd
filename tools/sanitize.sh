#!/usr/bin/env bash
# Builds the C++ tests with sanitizers and runs them (ctest); any report fails
# the run.  Both are part of tools/test.sh:
#   bash tools/sanitize.sh                    # ASan + UBSan, in build/asan
#   SANITIZER=thread bash tools/sanitize.sh   # TSan, in build/tsan
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer=${SANITIZER:-address,undefined}
# The examples build their own (unsanitized) projects; tools/test.sh runs them.
exclude="^cpp_example_"
case "$sanitizer" in
  # TSan cannot follow a multi-threaded fork() (it dies when the child starts
  # a thread): the fork tests run in the other builds.
  thread) dir=build/tsan; exclude="$exclude|^Fork\." ;;
  *) dir=build/asan ;;
esac
flags="-fsanitize=$sanitizer -fno-omit-frame-pointer -fno-sanitize-recover=all -g -O1"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DROCKSQ_BUILD_TESTS=ON -DROCKSQ_INSTALL=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$sanitizer" >/dev/null
cmake --build "$dir" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tools/tsan.supp"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" -E "$exclude"
