// libFuzzer target: a sequence of operations on a FIFO queue, checked
// against a model (a deque).  Each input byte is an operation; the queue
// (max 64 items) lives in one directory for the whole run and is drained
// before each input, so every input starts from an empty queue.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "rocksq/rocksq.hpp"
#include "scratch_dir.hpp"

namespace {

constexpr std::size_t kMaxElements = 64;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "queue_ops: %s\n", what);
  std::abort();
}

const std::string& directory() {
  static const rocksq_fuzz::ScratchDir scratch;
  static const std::string dir = scratch.path + "/q";
  return dir;
}

std::unique_ptr<rocksq::PersistentQueueWithCapacity> open_queue() {
  return std::make_unique<rocksq::PersistentQueueWithCapacity>(directory(), kMaxElements);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<rocksq::PersistentQueueWithCapacity> q = open_queue();
  q->pop(kMaxElements + 1);
  std::deque<std::string> model;
  std::uint64_t counter = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t op = data[i];
    const std::size_t n = op >> 3;  // 0..31
    switch (op & 7) {
      case 0:
      case 1: {  // push n items of varied sizes (some empty)
        std::vector<std::string> items;
        for (std::size_t k = 0; k < n; ++k) {
          items.push_back(std::string((counter * 7 + k * 13) % 300, static_cast<char>('a' + k)) +
                          std::to_string(counter));
          ++counter;
        }
        bool full = false;
        try {
          q->push(items);
        } catch (const rocksq::QueueFullError&) {
          full = true;
        }
        if (full != (model.size() + items.size() > kMaxElements)) fail("QueueFullError");
        if (!full) model.insert(model.end(), items.begin(), items.end());
        break;
      }
      case 2:
      case 3: {  // pop n
        const std::vector<std::string> got = q->pop(n);
        const std::size_t expect = std::min(n, model.size());
        if (got.size() != expect) fail("pop size");
        for (std::size_t k = 0; k < expect; ++k) {
          if (got[k] != model.front()) fail("pop content");
          model.pop_front();
        }
        break;
      }
      case 4: {  // peek n
        const std::vector<std::string> got = q->peek(n);
        if (got.size() != std::min(n, model.size())) fail("peek size");
        for (std::size_t k = 0; k < got.size(); ++k) {
          if (got[k] != model[k]) fail("peek content");
        }
        break;
      }
      case 5: {  // len and payload_size
        if (q->len() != model.size()) fail("len");
        std::uint64_t bytes = 0;
        for (const auto& item : model) bytes += item.size();
        if (q->payload_size() != bytes) fail("payload_size");
        if (q->is_empty() != model.empty()) fail("is_empty");
        break;
      }
      case 6:  // reopen (rarely: it costs a RocksDB open)
        if (n == 31) {
          q.reset();
          q = open_queue();
        }
        break;
      case 7: {  // a push that does not fit, or an empty push
        try {
          q->push(std::vector<std::string>(n == 0 ? 0 : kMaxElements + 1, "x"));
          if (n != 0) fail("push of more than max_elements");
        } catch (const rocksq::QueueFullError&) {
          if (n == 0) fail("empty push refused");
        } catch (const std::invalid_argument&) {
          // an empty push may be refused as invalid
        }
        break;
      }
    }
  }
  if (q->len() != model.size()) fail("final len");
  return 0;
}
