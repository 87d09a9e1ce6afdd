// Helpers shared by the C++ tests.
#ifndef ROCKSQ_TESTS_TEST_UTIL_HPP_
#define ROCKSQ_TESTS_TEST_UTIL_HPP_

#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace rocksq_test {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("rocksq-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path(const std::string& name = "q") const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace rocksq_test

#endif  // ROCKSQ_TESTS_TEST_UTIL_HPP_
