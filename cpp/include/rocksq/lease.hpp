// Leases: at-least-once delivery from a FIFO queue (names after beanstalkd's
// reserve/delete/release).
//
// reserve() takes the oldest unreserved items under a lease instead of
// removing them; ack(lease) removes them for good, release(lease) puts them
// back at the head in their order.  A lease not acked in time is released
// by itself, and every lease is released when the queue is reopened, so a
// consumer that dies leaves its items to the next one.
//
//   rocksq::PersistentQueueWithCapacity q("/var/lib/app/jobs");
//   rocksq::Reservation r = q.reserve(10, std::chrono::seconds(30));
//   process(r.items);
//   q.ack(r.lease);
#ifndef ROCKSQ_LEASE_HPP_
#define ROCKSQ_LEASE_HPP_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rocksq {

// Names one lease of one open queue; never reused by that queue, even
// across reopens (ids start at a random value).  kNoLease names none.
enum class LeaseId : std::uint64_t {};
inline constexpr LeaseId kNoLease{0};

// How long a lease lasts by default.
inline constexpr std::chrono::milliseconds kDefaultLeaseDuration{30'000};

// What one reserve() took.
struct Reservation {
  // The items, oldest first (empty if there was none: then lease is kNoLease).
  std::vector<std::string> items;
  LeaseId lease = kNoLease;
  // How many times these items have been reserved, this time included (the
  // largest count among them; it survives restarts, so a consumer can set
  // aside an item that keeps failing).
  std::uint64_t deliveries = 0;
};

}  // namespace rocksq

#endif  // ROCKSQ_LEASE_HPP_
