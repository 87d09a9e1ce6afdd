// rocksq from C++: a blocking FIFO queue, the same kind of queue driven
// through futures, and an MPMC log with two producers and two consumers.
//
//   rocksq_example [DIRECTORY]   (queues go in DIRECTORY, default a temp dir)
//
// Exits non-zero if any result differs from what the comments promise.
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <rocksq/rocksq.hpp>

namespace fs = std::filesystem;
using Items = std::vector<std::string>;

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok    " : "FAIL  ") << what << "\n";
  if (!ok) ++failures;
}

void blocking_fifo(const std::string& path) {
  rocksq::PersistentQueueWithCapacity queue(path, /*max_elements=*/3);
  queue.push({"a", "b"});
  expect(queue.pop(10) == Items{"a", "b"}, "blocking FIFO pops in push order");
  queue.push({"c", "d", "e"});
  try {
    queue.push({"f"});  // a fourth item exceeds max_elements
    expect(false, "push beyond max_elements throws QueueFullError");
  } catch (const rocksq::QueueFullError&) {
    expect(queue.len() == 3, "a refused push writes nothing");
  }
}

void nonblocking_fifo(const std::string& path) {
  {
    rocksq::nonblocking::PersistentQueueWithCapacity queue(path);
    rocksq::Future<void> pushed = queue.push({"job-1", "job-2", "job-3"});
    // Operations complete in submission order: this pop sees the push.
    rocksq::Future<Items> popped = queue.pop(2);
    pushed.get();  // returns once the items are stored
    expect(popped.get() == Items{"job-1", "job-2"}, "non-blocking pop after push");
  }  // the destructor completes pending operations and closes the queue
  rocksq::nonblocking::PersistentQueueWithCapacity reopened(path);
  expect(reopened.len().get() == 1, "items survive closing and reopening");
  expect(reopened.pop(5).get() == Items{"job-3"}, "the rest pops after reopening");
}

void mpmc_log(const std::string& path) {
  rocksq::MpmcQueue log(path, std::chrono::hours(1));  // elements live an hour
  // Two producers add at once: a queue may be shared between threads.
  auto produce = [&log](const std::string& name) {
    for (int i = 0; i < 50; ++i) log.add({name + std::to_string(i)});
  };
  std::thread a(produce, "a"), b(produce, "b");
  a.join();
  b.join();
  expect(log.len() == 100, "both producers' elements are in the log");
  // Each label (consumer) reads from its own durable cursor; reading removes
  // nothing, so every label sees every element.
  const rocksq::NextResult billing = log.next("billing", rocksq::StartPosition::Oldest, 1000);
  const rocksq::NextResult audit = log.next("audit", rocksq::StartPosition::Oldest, 10);
  expect(billing.items.size() == 100 && !billing.expired, "label billing reads all 100");
  expect(audit.items == Items(billing.items.begin(), billing.items.begin() + 10),
         "label audit reads the same elements independently");
  // inspect() reads the state without disturbing the queue (also from
  // another process, like the rocksq command line tool).
  const rocksq::QueueInfo info = rocksq::inspect(path);
  expect(info.kind == "mpmc" && info.len == 100 && info.labels.size() == 2 &&
             info.labels[0].label == "audit" && info.labels[0].lag == 90 &&
             info.labels[1].lag == 0,
         "inspect reports each label's lag");
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "rocksq-example";
  fs::remove_all(dir);
  std::cout << "rocksq " << rocksq::version() << ", queues in " << dir << "\n";
  try {
    blocking_fifo((dir / "fifo").string());
    nonblocking_fifo((dir / "fifo-futures").string());
    mpmc_log((dir / "log").string());
    rocksq::remove_queue((dir / "fifo").string());
    expect(!fs::exists(dir / "fifo"), "remove_queue deletes a closed queue");
  } catch (const rocksq::Error& e) {
    std::cerr << "rocksq error: " << e.what() << "\n";
    return EXIT_FAILURE;
  }
  fs::remove_all(dir);
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
