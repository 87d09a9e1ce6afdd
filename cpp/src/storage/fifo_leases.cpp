// FifoStore's leases (see fifo_store.hpp): reserve, ack, release, and the
// chunks that hold reserved items.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rocksdb/iterator.h>

#include "fifo_store.hpp"
#include "layout.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

namespace {

using layout::chunk_key;
using layout::kChunkPrefix;

std::uint64_t sum_of_sizes(const std::vector<std::string>& items) {
  std::uint64_t bytes = 0;
  for (const auto& item : items) bytes += item.size();
  return bytes;
}

}  // namespace

void FifoStore::load_chunks() {
  available_.clear();
  leases_.clear();
  deadlines_.clear();
  undo_.clear();
  chunk_items_ = chunk_bytes_ = available_chunk_items_ = 0;
  if (next_lease_ == 0) {
    // A random start in [1, 2^62]: an id from before a reopen names nothing.
    std::random_device random;
    next_lease_ = (((std::uint64_t{random()} << 32) | random()) >> 2) + 1;
  }
  rocksdb::ReadOptions read_options;
  const std::string upper = layout::prefix_upper(kChunkPrefix);
  const rocksdb::Slice upper_slice(upper);
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read_options));
  for (it->Seek(layout::prefix_lower(kChunkPrefix)); it->Valid(); it->Next()) {
    ChunkKey key;
    std::string_view value(it->value().data(), it->value().size());
    Chunk chunk;
    Segment segment;
    if (!layout::decode_chunk_key(std::string_view(it->key().data(), it->key().size()), &key) ||
        !layout::decode_chunk_header(&value, &chunk.deliveries) ||
        !decode_segment(value, &segment) || segment.items.empty()) {
      throw CorruptionError("rocksq: open failed for " + db_.path() +
                            ": a chunk of reserved items is damaged");
    }
    chunk.bytes = segment.bytes;
    chunk.items = std::make_shared<const std::vector<std::string>>(std::move(segment.items));
    chunk_items_ += chunk.size();
    chunk_bytes_ += chunk.bytes;
    available_chunk_items_ += chunk.size();
    available_.emplace(key, std::move(chunk));
  }
  check(it->status(), db_.path(), "open");
}

std::int64_t FifoStore::now_us() const { return clock_->now().count(); }

void FifoStore::expire_leases() {
  if (deadlines_.empty()) return;
  const std::int64_t now = now_us();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    Lease lease = remove_lease(LeaseId{deadlines_.begin()->second});
    for (auto& [key, chunk] : lease.chunks) set_available(key, std::move(chunk));
  }
}

std::chrono::steady_clock::time_point FifoStore::housekeep() {
  expire_leases();
  return housekeep_due();
}

std::chrono::steady_clock::time_point FifoStore::housekeep_due() const {
  if (deadlines_.empty()) return std::chrono::steady_clock::time_point::max();
  const std::int64_t wait_us = std::max<std::int64_t>(0, deadlines_.begin()->first - now_us());
  // At least every second: the clock may be set (tests) or jump.
  return std::chrono::steady_clock::now() +
         std::min<std::chrono::microseconds>(std::chrono::microseconds(wait_us),
                                             std::chrono::seconds(1));
}

std::vector<std::pair<FifoStore::ChunkKey, FifoStore::Chunk>> FifoStore::take_chunks(
    std::size_t max_items, std::vector<std::string>* out) {
  std::vector<std::pair<ChunkKey, Chunk>> taken;
  while (max_items > 0 && !available_.empty()) {
    const ChunkKey key = available_.begin()->first;
    Chunk chunk = available_.begin()->second;
    erase_available(key);
    if (chunk.size() > max_items) {
      // The rest stays available, keyed after the part taken.
      const auto split = chunk.items->begin() + static_cast<std::ptrdiff_t>(max_items);
      Chunk rest;
      rest.items = std::make_shared<const std::vector<std::string>>(split, chunk.items->end());
      rest.bytes = sum_of_sizes(*rest.items);
      rest.deliveries = chunk.deliveries;
      chunk.items = std::make_shared<const std::vector<std::string>>(chunk.items->begin(), split);
      chunk.bytes -= rest.bytes;
      const ChunkKey rest_key{key.seg, key.offset + max_items};
      put_chunk_record(rest_key, rest);
      set_available(rest_key, std::move(rest));
    }
    max_items -= chunk.size();
    if (out) out->insert(out->end(), chunk.items->begin(), chunk.items->end());
    taken.emplace_back(key, std::move(chunk));
  }
  return taken;
}

void FifoStore::put_chunk_record(const ChunkKey& key, const Chunk& chunk) {
  segment_writer_.put(&batch_, chunk_key(key), *chunk.items, 0, chunk.size(),
                      layout::encode_chunk_header(chunk.deliveries));
  batch_pending_ = true;
}

std::vector<std::string> FifoStore::pop_chunks(std::size_t max_items) {
  std::vector<std::string> out;
  save_counters();
  for (const auto& [key, chunk] : take_chunks(max_items, &out)) {
    batch_.Delete(chunk_key(key));
    batch_pending_ = true;
    chunk_items_ -= chunk.size();
    chunk_bytes_ -= chunk.bytes;
  }
  return out;
}

Reservation FifoStore::reserve(std::size_t max_items, std::chrono::milliseconds duration) {
  if (duration <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("rocksq: reserve failed for " + db_.path() +
                                ": the lease duration must be positive");
  }
  expire_leases();
  Reservation reservation;
  const std::size_t from_chunks =
      static_cast<std::size_t>(std::min<std::uint64_t>(max_items, available_chunk_items_));
  // Reading the segments is what may fail: first, before anything changes.
  const ChunkKey segments_key{head_seg_, head_off_};
  std::vector<std::string> from_segments = pop_segments(max_items - from_chunks);

  Lease lease;
  save_counters();
  for (auto& [key, chunk] : take_chunks(from_chunks, &reservation.items)) {
    ++chunk.deliveries;
    put_chunk_record(key, chunk);
    reservation.deliveries = std::max(reservation.deliveries, chunk.deliveries);
    lease.chunks.emplace_back(key, std::move(chunk));
  }
  // One chunk per segment's worth of items: a record stays as small as a
  // segment (far below RocksDB's largest value).
  for (const auto& [begin, end] : split_into_segments(from_segments)) {
    Chunk chunk;
    chunk.deliveries = 1;
    chunk.items = std::make_shared<const std::vector<std::string>>(
        std::make_move_iterator(from_segments.begin() + static_cast<std::ptrdiff_t>(begin)),
        std::make_move_iterator(from_segments.begin() + static_cast<std::ptrdiff_t>(end)));
    chunk.bytes = sum_of_sizes(*chunk.items);
    const ChunkKey key{segments_key.seg, segments_key.offset + begin};
    put_chunk_record(key, chunk);
    chunk_items_ += chunk.size();
    chunk_bytes_ += chunk.bytes;
    reservation.deliveries = std::max<std::uint64_t>(reservation.deliveries, 1);
    reservation.items.insert(reservation.items.end(), chunk.items->begin(), chunk.items->end());
    lease.chunks.emplace_back(key, std::move(chunk));
  }
  if (lease.chunks.empty()) return reservation;
  const std::int64_t now = now_us();
  const std::int64_t duration_us =
      std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  lease.deadline_us = duration_us > std::numeric_limits<std::int64_t>::max() - now
                          ? std::numeric_limits<std::int64_t>::max()
                          : now + duration_us;
  reservation.lease = LeaseId{next_lease_++};
  add_lease(reservation.lease, std::move(lease));
  return reservation;
}

void FifoStore::ack(LeaseId id) {
  expire_leases();
  if (leases_.count(static_cast<std::uint64_t>(id)) == 0) lease_error(id, "ack");
  save_counters();
  const Lease lease = remove_lease(id);
  for (const auto& [key, chunk] : lease.chunks) {
    batch_.Delete(chunk_key(key));
    chunk_items_ -= chunk.size();
    chunk_bytes_ -= chunk.bytes;
  }
  batch_pending_ = true;
}

void FifoStore::release(LeaseId id) {
  expire_leases();
  if (leases_.count(static_cast<std::uint64_t>(id)) == 0) lease_error(id, "release");
  // The chunks' records are unchanged: in the database every chunk is
  // available.
  Lease lease = remove_lease(id);
  for (auto& [key, chunk] : lease.chunks) set_available(key, std::move(chunk));
}

std::size_t FifoStore::reserved() {
  expire_leases();
  return static_cast<std::size_t>(chunk_items_ - available_chunk_items_);
}

std::size_t FifoStore::available() {
  expire_leases();
  return static_cast<std::size_t>(count_ + available_chunk_items_);
}

void FifoStore::save_counters() {
  if (!undo_.empty()) return;  // saved at the group's first change
  saved_counters_ = Counters{chunk_items_, chunk_bytes_, available_chunk_items_};
  undo_.emplace_back([] {});
}

void FifoStore::set_available(const ChunkKey& key, Chunk chunk) {
  save_counters();
  available_chunk_items_ += chunk.size();
  available_.emplace(key, std::move(chunk));
  undo_.emplace_back([this, key] { available_.erase(key); });
}

void FifoStore::erase_available(const ChunkKey& key) {
  save_counters();
  auto node = available_.extract(key);
  available_chunk_items_ -= node.mapped().size();
  undo_.emplace_back(
      [this, key, chunk = std::move(node.mapped())] { available_.emplace(key, chunk); });
}

void FifoStore::add_lease(LeaseId id, Lease lease) {
  save_counters();
  const auto n = static_cast<std::uint64_t>(id);
  deadlines_.emplace(lease.deadline_us, n);
  const std::int64_t deadline = lease.deadline_us;
  leases_.emplace(n, std::move(lease));
  undo_.emplace_back([this, n, deadline] {
    deadlines_.erase({deadline, n});
    leases_.erase(n);
  });
}

FifoStore::Lease FifoStore::remove_lease(LeaseId id) {
  save_counters();
  const auto n = static_cast<std::uint64_t>(id);
  auto node = leases_.extract(n);
  deadlines_.erase({node.mapped().deadline_us, n});
  undo_.emplace_back([this, n, lease = node.mapped()] {
    deadlines_.emplace(lease.deadline_us, n);
    leases_.emplace(n, lease);
  });
  return std::move(node.mapped());
}

void FifoStore::lease_error(LeaseId id, const char* operation) const {
  throw LeaseError(std::string("rocksq: ") + operation + " failed for " + db_.path() +
                   ": lease " + std::to_string(static_cast<std::uint64_t>(id)) +
                   " is not open (unknown, already acked or released, or expired)");
}

}  // namespace internal
}  // namespace rocksq
