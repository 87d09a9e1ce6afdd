// rocksq: embedded persistent queues on RocksDB.
//
//   rocksq::PersistentQueueWithCapacity              blocking FIFO with a capacity
//   rocksq::nonblocking::PersistentQueueWithCapacity the same, returning futures
//   rocksq::MpmcQueue                                log with TTL and labelled consumers
//   rocksq::nonblocking::MpmcQueue                   the same, returning futures
#ifndef ROCKSQ_ROCKSQ_HPP_
#define ROCKSQ_ROCKSQ_HPP_

#include "rocksq/error.hpp"
#include "rocksq/fork.hpp"
#include "rocksq/inspect.hpp"
#include "rocksq/lease.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/nonblocking/mpmc_queue.hpp"
#include "rocksq/nonblocking/persistent_queue.hpp"
#include "rocksq/options.hpp"
#include "rocksq/persistent_queue.hpp"
#include "rocksq/remove.hpp"
#include "rocksq/start_position.hpp"
#include "rocksq/version.hpp"

#endif  // ROCKSQ_ROCKSQ_HPP_
