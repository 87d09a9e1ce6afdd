// Database::secondary: a read-only view of a queue for inspection.  Unlike
// OpenForReadOnly, which RocksDB leaves undefined while a primary has the
// database open, a secondary instance is meant to follow a live primary, and
// it takes no lock.
#include <stdexcept>

#include <rocksdb/options.h>

#include "database.hpp"

namespace rocksq {
namespace internal {

Database Database::secondary(const std::string& path, const std::string& scratch_dir) {
  check_path(path);
  rocksdb::Options options;
  // Opens every table file now: the primary may delete them meanwhile.
  options.max_open_files = -1;
  options.info_log_level = rocksdb::InfoLogLevel::ERROR_LEVEL;
  rocksdb::DB* raw = nullptr;
  check(rocksdb::DB::OpenAsSecondary(options, path, scratch_dir, &raw), path, "inspect");
  Database db;
  db.path_ = path;
  db.db_.reset(raw);
  return db;
}

}  // namespace internal
}  // namespace rocksq
