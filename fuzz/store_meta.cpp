// libFuzzer target: a queue whose stored metadata and segments are arbitrary
// (a damaged database).  The input's first half becomes the "m" value, the
// rest the value of segment 0 (for a FIFO queue) or of segment 0 and its
// index entry (MPMC, chosen by the first byte's low bit; one input in eight
// is also inspected, which retries damaged data for ~0.5 s).  Opening and reading the
// queue must raise a rocksq::Error (typically CorruptionError) or work;
// never crash or hang.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <rocksdb/db.h>

#include "rocksq/rocksq.hpp"
#include "scratch_dir.hpp"
#include "storage/layout.hpp"

namespace layout = rocksq::internal::layout;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "store_meta: %s\n", what);
  std::abort();
}

void put(const std::string& path, const std::string& meta, const std::string& segment,
         bool mpmc) {
  rocksdb::Options options;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, path, &raw).ok()) fail("raw open");
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write;
  db->Put(write, std::string(layout::kMetaKey), meta).PermitUncheckedError();
  db->Put(write, layout::segment_key(0), segment).PermitUncheckedError();
  if (mpmc) db->Put(write, layout::index_key(0), segment.substr(0, 8)).PermitUncheckedError();
  db->Close().PermitUncheckedError();
}

template <typename Read>
void guarded(Read read) {
  try {
    read();
  } catch (const rocksq::Error&) {
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rocksq_fuzz::ScratchDir scratch;
  const std::string& base = scratch.path;
  if (size == 0) return 0;
  const bool mpmc = data[0] & 1;
  const std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string meta = in.substr(0, in.size() / 2);
  const std::string segment = in.substr(in.size() / 2);
  const std::string path = base + "/q";
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  // A valid queue of the kind first, then its values replaced.
  if (mpmc) {
    rocksq::MpmcQueue q(path, std::chrono::seconds(3600));
    q.add({"a", "b"});
    q.next("label", rocksq::StartPosition::Oldest);
  } else {
    rocksq::PersistentQueueWithCapacity q(path);
    q.push({"a", "b"});
  }
  put(path, meta, segment, mpmc);
  if ((data[0] & 0x0e) == 0) {
    guarded([&] { rocksq::inspect(path); });
    guarded([&] { rocksq::peek(path, 3); });
  }
  if (mpmc) {
    guarded([&] {
      rocksq::MpmcQueue q(path, std::chrono::seconds(3600));
      q.len();
      q.next("label", rocksq::StartPosition::Oldest, 3);
      q.next("other", rocksq::StartPosition::Oldest, 3);
      q.add({"c"});
      q.next("other", rocksq::StartPosition::Oldest, 3);
    });
  } else {
    guarded([&] {
      rocksq::PersistentQueueWithCapacity q(path);
      q.len();
      q.peek(3);
      q.pop(3);
      q.push({"c"});
      q.pop(3);
    });
  }
  return 0;
}
