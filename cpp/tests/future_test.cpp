// rocksq::Future on its own: waiting, errors, take(), and many readers.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/future.hpp"

using rocksq::Future;
using rocksq::detail::ResultState;

namespace {

template <typename T>
std::pair<std::shared_ptr<ResultState<T>>, Future<T>> pending() {
  auto state = std::make_shared<ResultState<T>>();
  return {state, Future<T>(state)};
}

}  // namespace

TEST(Future, WaitsForThePublishedValue) {
  auto [state, future] = pending<std::string>();
  EXPECT_TRUE(future.valid());
  EXPECT_FALSE(future.is_ready());
  EXPECT_FALSE(future.wait_for(std::chrono::milliseconds(1)));
  std::thread publisher([state = state] {
    state->set_value("done");
    state->publish();
  });
  EXPECT_EQ(future.get(), "done");
  EXPECT_TRUE(future.is_ready());
  EXPECT_EQ(future.get(), "done");  // any number of times
  publisher.join();
}

TEST(Future, SleepsPastTheSpinAndWakesOnPublish) {
  auto [state, future] = pending<int>();
  std::thread publisher([state = state] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // longer than the spin
    state->set_value(7);
    state->publish();
  });
  EXPECT_TRUE(future.wait_for(std::chrono::seconds(60)));
  EXPECT_EQ(future.get(), 7);
  publisher.join();
}

TEST(Future, RethrowsTheErrorToEveryReader) {
  auto [state, future] = pending<void>();
  state->set_error(std::make_exception_ptr(std::runtime_error("boom")));
  state->set_error(std::make_exception_ptr(std::logic_error("later errors are ignored")));
  state->publish();
  EXPECT_THROW(future.get(), std::runtime_error);
  const Future<void> copy = future;
  EXPECT_THROW(copy.get(), std::runtime_error);
}

TEST(Future, TakeMovesTheValueOut) {
  auto [state, future] = pending<std::vector<std::string>>();
  state->set_value(std::vector<std::string>(3, std::string(1000, 'x')));
  state->publish();
  const std::vector<std::string> taken = future.take();
  EXPECT_EQ(taken.size(), 3u);
  EXPECT_TRUE(future.get().empty());  // moved from
}

TEST(Future, ManyThreadsWaitForOneResult) {
  auto [state, future] = pending<int>();
  std::vector<std::thread> readers;
  std::vector<int> seen(8, 0);
  for (int i = 0; i < 8; ++i) {
    readers.emplace_back([&seen, i, f = future] { seen[i] = f.get(); });
  }
  state->set_value(42);
  state->publish();
  for (auto& r : readers) r.join();
  EXPECT_EQ(seen, std::vector<int>(8, 42));
}
