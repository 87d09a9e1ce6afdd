// The fuzz targets' scratch directory: a fresh one, on a tmpfs if there is
// one (RocksDB's fsyncs at open would dominate), removed at exit.
#ifndef ROCKSQ_FUZZ_SCRATCH_DIR_HPP_
#define ROCKSQ_FUZZ_SCRATCH_DIR_HPP_

#include <stdlib.h>  // mkdtemp

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace rocksq_fuzz {

inline std::filesystem::path scratch_base() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

struct ScratchDir {
  ScratchDir() {
    std::string pattern = (scratch_base() / "rocksq-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "fuzz: mkdtemp failed in %s\n", scratch_base().c_str());
      std::abort();
    }
    path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string path;
};

}  // namespace rocksq_fuzz

#endif  // ROCKSQ_FUZZ_SCRATCH_DIR_HPP_
