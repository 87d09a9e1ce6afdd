#!/usr/bin/env bash
# Builds the C++ tests with AddressSanitizer + UndefinedBehaviorSanitizer in
# build/asan and runs them (ctest).  Any report fails the run.
#   bash tools/sanitize.sh            # ASan + UBSan (part of tools/test.sh)
#   SANITIZER=thread bash tools/sanitize.sh   # TSan, in build/tsan (see README)
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer=${SANITIZER:-address,undefined}
case "$sanitizer" in
  thread) dir=build/tsan ;;
  *) dir=build/asan ;;
esac
flags="-fsanitize=$sanitizer -fno-omit-frame-pointer -fno-sanitize-recover=all -g -O1"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DROCKSQ_BUILD_TESTS=ON -DROCKSQ_INSTALL=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$sanitizer" >/dev/null
cmake --build "$dir" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
# The examples build their own (unsanitized) projects: tools/test.sh runs them.
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" -E "^cpp_example_"
