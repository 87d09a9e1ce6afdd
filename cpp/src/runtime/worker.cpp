#include "worker.hpp"

#include <stdexcept>
#include <utility>

#include "rocksq/error.hpp"
#include "rocksq/future.hpp"

namespace rocksq {
namespace internal {

namespace {

constexpr std::chrono::microseconds kIdleSpin{50};

std::size_t checked_max_inflight(std::size_t max_inflight) {
  if (max_inflight == 0) throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
  return max_inflight;
}

}  // namespace

Worker::Worker(std::string name, std::size_t max_inflight, Execute execute, Tick tick)
    : name_(std::move(name)),
      max_inflight_(checked_max_inflight(max_inflight)),
      execute_(std::move(execute)),
      tick_(std::move(tick)),
      thread_([this] { run(); }) {}

Worker::~Worker() { stop(); }

namespace {
thread_local bool t_ignores_room_wait = false;
}  // namespace

void Worker::set_thread_ignores_room_wait(bool ignores) { t_ignores_room_wait = ignores; }

void Worker::submit(std::shared_ptr<Task> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!has_room()) {
    if (room_wait_ && !t_ignores_room_wait) {
      // The room wait may give the caller's thread back (a Python signal
      // check); it is asked again if another submitter took the room first.
      const RoomWait room_wait = room_wait_;
      lock.unlock();
      room_wait([this](std::chrono::nanoseconds timeout) { return wait_for_room(timeout); });
      lock.lock();
    } else {
      ++room_waiters_;
      room_.wait(lock, [this] { return has_room(); });
      --room_waiters_;
    }
  }
  if (stopping_) throw ClosedError("rocksq: " + name_ + " is closed");
  ++inflight_;
  inflight_relaxed_.store(inflight_, std::memory_order_relaxed);
  if (caller_runs_ && pending_.empty() && !executing_ && held_ == 0) {
    executing_ = true;
    const std::function<void()> on_completion = completion_callback_;
    lock.unlock();
    Group group{std::move(task)};
    Clock::time_point due = execute_and_publish(group);
    notify(on_completion);
    lock.lock();
    // What was submitted meanwhile waited for this task: run it too, as one
    // group (once, so that this caller returns soon), rather than wake the
    // thread for it.
    if (runnable_ignoring_executor()) {
      group.swap(pending_);
      has_pending_.store(false, std::memory_order_relaxed);
      lock.unlock();
      due = std::min(due, execute_and_publish(group));
      notify(on_completion);
      lock.lock();
    }
    executing_ = false;
    const bool earlier = due < due_;
    due_ = std::min(due_, due);
    // Wake the thread only if it has work: tasks submitted meanwhile, the
    // tick or stop() waiting for this task to end, or an earlier tick.
    if (sleeping_ && (!pending_.empty() || waits_for_executor_ || earlier)) {
      lock.unlock();
      work_.notify_one();
    }
    return;
  }
  pending_.push_back(std::move(task));
  has_pending_.store(true, std::memory_order_release);
  if (sleeping_) {
    lock.unlock();
    work_.notify_one();
  }
}

bool Worker::wait_for_room(std::chrono::nanoseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++room_waiters_;
  const bool room = room_.wait_for(lock, timeout, [this] { return has_room(); });
  --room_waiters_;
  return room;
}

void Worker::set_completion_callback(std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(mutex_);
  completion_callback_ = std::move(callback);
  ++completion_callback_version_;
}

void Worker::set_room_wait(RoomWait room_wait) {
  std::lock_guard<std::mutex> lock(mutex_);
  room_wait_ = std::move(room_wait);
}

void Worker::set_caller_runs(bool caller_runs) {
  std::lock_guard<std::mutex> lock(mutex_);
  caller_runs_ = caller_runs;
}

void Worker::hold() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++held_;
}

void Worker::release() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --held_;
  }
  work_.notify_one();
}

void Worker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    held_ = 0;  // a hold never outlives the queue
  }
  work_.notify_all();
  room_.notify_all();
  std::lock_guard<std::mutex> join_lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void Worker::run() noexcept {
  Group group;
  std::function<void()> on_completion;  // a copy, refreshed when replaced
  std::uint64_t on_completion_version = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  if (tick_) due_ = Clock::now();
  for (;;) {
    if (!runnable() && !stopping_) {
      lock.unlock();
      detail::spin_until(kIdleSpin, [this] { return has_pending_.load(std::memory_order_acquire); });
      lock.lock();
    }
    bool timed_out = false;
    while (!runnable() && !stopping_ && !timed_out) {
      if (due_ <= Clock::now()) break;
      sleeping_ = true;
      if (due_ == Clock::time_point::max()) {
        work_.wait(lock);
      } else {
        timed_out = work_.wait_until(lock, due_) == std::cv_status::timeout;
      }
      sleeping_ = false;
    }
    if (pending_.empty() && stopping_ && !executing_) break;
    if (executing_) {
      // A submitter runs a task itself (caller_runs): wait for it.
      sleeping_ = waits_for_executor_ = true;
      work_.wait(lock);
      sleeping_ = waits_for_executor_ = false;
      continue;
    }
    if (runnable() || stopping_) {
      group.swap(pending_);
      has_pending_.store(false, std::memory_order_relaxed);
    }
    executing_ = true;
    if (on_completion_version != completion_callback_version_) {
      on_completion = completion_callback_;
      on_completion_version = completion_callback_version_;
    }
    const bool tick_due = tick_ && due_ <= Clock::now();
    lock.unlock();
    Clock::time_point due = Clock::time_point::max();
    const bool ran_group = !group.empty();
    if (ran_group) due = execute_and_publish(group);
    bool published = ran_group;
    if (tick_due) {
      const TickDone done = safe_tick();
      due = std::min(due, done.next_due);
      published = published || done.published;
    }
    if (published) notify(on_completion);
    lock.lock();
    executing_ = false;
    // A tick that ran sets the next one; a group can only bring it forward.
    due_ = tick_due ? due : std::min(due_, due);
  }
}

void Worker::notify(const std::function<void()>& callback) noexcept {
  if (!callback) return;
  try {
    callback();
  } catch (...) {
    // A notification is best effort: the results are published anyway.
  }
}

Worker::Clock::time_point Worker::execute_and_publish(Group& group) noexcept {
  const std::size_t submitted = group.size();  // execute_ takes out those that wait
  Clock::time_point due = Clock::time_point::max();
  try {
    due = execute_(group);
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    for (auto& task : group) task->fail(error);
  }
  {
    // Leave inflight before publishing: once a result is seen, inflight no
    // longer counts its operation.  Waiting operations take no room.
    std::lock_guard<std::mutex> lock(mutex_);
    inflight_ -= submitted;
    inflight_relaxed_.store(inflight_, std::memory_order_relaxed);
    if (room_waiters_ > 0) room_.notify_all();
  }
  for (auto& task : group) task->publish();
  group.clear();
  return due;
}

Worker::TickDone Worker::safe_tick() noexcept {
  try {
    return tick_();
  } catch (...) {
    // Timed work is housekeeping: retry it a little later.
    return {Clock::now() + std::chrono::seconds(1), false};
  }
}

}  // namespace internal
}  // namespace rocksq
