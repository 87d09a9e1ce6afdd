// Inspection reads a queue through the same stores as the queue itself
// (fifo_store.hpp, mpmc_store.hpp: their decoding, metadata checks, expiry
// and labels), on a RocksDB secondary instance of its database
// (Database::secondary): it takes no lock and writes nothing, so the queue
// may be open in another process.  What a store stages while reading (the
// expiry of an MPMC log) is never committed.
#include "rocksq/inspect.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "storage/database.hpp"
#include "storage/fifo_store.hpp"
#include "storage/layout.hpp"
#include "storage/mpmc_store.hpp"
#include "rocksq/error.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/persistent_queue.hpp"

namespace fs = std::filesystem;

namespace rocksq {

namespace {

namespace layout = internal::layout;
using internal::Database;

// The primary deletes files as it flushes and compacts: an open or a read
// racing with that fails, and a new attempt sees the new files.
constexpr int kAttempts = 10;

// A private directory for the secondary instance's own files.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "rocksq-inspect-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error("rocksq: cannot create a scratch directory in " +
                  fs::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The queue at path, opened read-only as the store of its kind.
struct View {
  std::string kind;
  std::unique_ptr<internal::FifoStore> fifo;
  std::unique_ptr<internal::MpmcStore> mpmc;
  std::optional<std::chrono::seconds> ttl;  // MPMC: as last recorded
};

View open_view(Database db, const char* operation) {
  const std::string path = db.path();
  View view;
  if (!db.get(layout::kKindKey, &view.kind, operation)) {
    throw Error(std::string("rocksq: ") + operation + " failed for " + path +
                ": the database holds no rocksq queue");
  }
  Options options;
  options.memory_cache_bytes = 0;  // each read once
  if (view.kind == internal::kind_name(internal::QueueKind::kFifo)) {
    view.fifo = std::make_unique<internal::FifoStore>(std::move(db), kDefaultMaxElements, options);
  } else if (view.kind == internal::kind_name(internal::QueueKind::kMpmc)) {
    std::string value;
    std::uint64_t seconds = 0;
    if (db.get(layout::kTtlKey, &value, operation)) {
      if (!layout::decode_ttl(value, &seconds) || seconds == 0 ||
          seconds > static_cast<std::uint64_t>(kMaxTtlSeconds)) {
        throw CorruptionError(std::string("rocksq: ") + operation + " failed for " + path +
                              ": the recorded TTL is damaged");
      }
      view.ttl = std::chrono::seconds(seconds);
    }
    // Never recorded (a log of an older version): nothing is taken for expired.
    view.mpmc = std::make_unique<internal::MpmcStore>(
        std::move(db), view.ttl.value_or(std::chrono::seconds(kMaxTtlSeconds)), options);
  } else {
    throw CorruptionError(std::string("rocksq: ") + operation + " failed for " + path +
                          ": unknown queue kind '" + view.kind + "'");
  }
  return view;
}

// Runs read(view) on a fresh secondary instance, again while the primary's
// file changes make it fail.
template <typename Read>
auto read_view(const std::string& path, const char* operation, Read read) {
  internal::check_path(path);
  std::error_code ec;
  if (!fs::exists(fs::path(path) / "CURRENT", ec)) {
    throw Error(std::string("rocksq: ") + operation + " failed for " + path +
                ": no queue there (no RocksDB database)");
  }
  for (int attempt = 1;; ++attempt) {
    try {
      const ScratchDir scratch;
      View view = open_view(Database::secondary(path, scratch.path()), operation);
      return read(view);
    } catch (const CorruptionError&) {
      if (attempt == kAttempts) throw;
    } catch (const AlreadyOpenError&) {
      throw;
    } catch (const Error&) {
      if (attempt == kAttempts) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
}

}  // namespace

QueueInfo inspect(const std::string& path) {
  QueueInfo info = read_view(path, "inspect", [](View& view) {
    QueueInfo info;
    info.kind = view.kind;
    if (view.fifo) {
      info.len = view.fifo->len();
      info.payload_size = view.fifo->payload_size();
      return info;
    }
    internal::MpmcStore& log = *view.mpmc;
    info.len = log.len();
    info.payload_size = log.payload_size();
    info.ttl = view.ttl;
    if (const auto oldest = log.oldest_time_ms()) {
      const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch());
      const auto age = now.count() - static_cast<std::int64_t>(*oldest);
      info.oldest_age = std::chrono::milliseconds(age > 0 ? age : 0);
    }
    for (const auto& label : log.labels()) info.labels.push_back({label, log.unread(label)});
    return info;
  });
  info.disk_size = internal::directory_size(path);
  return info;
}

std::vector<std::string> peek(const std::string& path, std::size_t max_items,
                              const std::string& label) {
  return read_view(path, "peek", [&](View& view) {
    if (view.fifo) {
      if (!label.empty()) {
        throw std::invalid_argument("rocksq: peek failed for " + path +
                                    ": a FIFO queue has no labels (got label '" + label + "')");
      }
      return view.fifo->peek(max_items);
    }
    internal::MpmcStore& log = *view.mpmc;
    if (!label.empty()) {
      const auto labels = log.labels();
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
        std::string known;
        for (const auto& l : labels) known += (known.empty() ? "" : ", ") + l;
        throw std::invalid_argument("rocksq: peek failed for " + path + ": the log has no label '" +
                                    label + "' (labels: " + (known.empty() ? "none" : known) +
                                    ")");
      }
    }
    if (label.empty()) return log.peek_oldest(max_items);
    return log.peek(label, StartPosition::Oldest, max_items).items;
  });
}

}  // namespace rocksq
