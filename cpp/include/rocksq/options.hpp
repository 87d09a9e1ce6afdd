// Options shared by every queue kind.  The defaults suit most users.
#ifndef ROCKSQ_OPTIONS_HPP_
#define ROCKSQ_OPTIONS_HPP_

#include <cstddef>
#include <memory>

#include "rocksq/clock.hpp"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace rocksq {

struct Options {
  // Every acknowledged write is in RocksDB's write-ahead log, so it survives
  // the death of the process (kill -9).  With durable = true each write also
  // fsyncs the log, so it survives a power loss too, at the cost of one fsync
  // per write (group commit shares it among the writes pending together).
  bool durable = false;

  // Lets other processes open the queue too (see docs/processes.rst): the
  // first to open it owns it and serves the others over a Unix socket in
  // its directory, and one of them takes over when it closes or dies.
  // Every process must open it shared; without it a second process gets
  // AlreadyOpenError.
  bool shared = false;

  // Budget in bytes for the most recently written items kept in memory, so
  // that consumers of fresh data do not read RocksDB.  Segments read back
  // from RocksDB are nearly as fast, so a small budget suffices.
  std::size_t memory_cache_bytes = std::size_t{16} << 20;

  // Where TTLs read the time; null means system_clock().
  std::shared_ptr<const Clock> clock;

  // The RocksDB environment the queue's files go through; null means
  // rocksdb::Env::Default().  For tests: a file system that simulates a
  // power loss (cpp/tests/power_loss_fs.hpp), faults, or counts syncs.
  std::shared_ptr<rocksdb::Env> env;
};

}  // namespace rocksq

#endif  // ROCKSQ_OPTIONS_HPP_
