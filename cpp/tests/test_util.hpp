// Helpers shared by the C++ tests.
#ifndef ROCKSQ_TESTS_TEST_UTIL_HPP_
#define ROCKSQ_TESTS_TEST_UTIL_HPP_

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "rocksq/clock.hpp"
#include "rocksq/options.hpp"

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

// A clock that moves only when told, starting at the real time.
class ManualClock final : public rocksq::Clock {
 public:
  std::chrono::microseconds now() const override { return now_.load(); }
  void advance(std::chrono::milliseconds by) { now_.store(now_.load() + by); }

 private:
  std::atomic<std::chrono::microseconds> now_{rocksq::system_clock()->now()};
};

// Options whose TTLs read clock.
inline rocksq::Options with_clock(const std::shared_ptr<ManualClock>& clock) {
  rocksq::Options options;
  options.clock = clock;
  return options;
}

}  // namespace rocksq_test

#endif  // ROCKSQ_TESTS_TEST_UTIL_HPP_
