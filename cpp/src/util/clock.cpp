#include "rocksq/clock.hpp"

namespace rocksq {

namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::microseconds now() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch());
  }
};

}  // namespace

std::shared_ptr<const Clock> system_clock() {
  static const std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace rocksq
